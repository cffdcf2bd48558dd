import { topicMatches } from './mqtt-bus';

describe('topicMatches', () => {
  it.each([
    ['tiergate/v1/cameras/+/status', 'tiergate/v1/cameras/abc/status', true],
    ['tiergate/v1/cameras/+/status', 'tiergate/v1/cameras/abc/state', false],
    ['tiergate/v1/cameras/+/status', 'tiergate/v1/cameras/status', false],
    ['tiergate/v1/#', 'tiergate/v1/streams/a/main/state', true],
    ['tiergate/v1/streams/+/+/state', 'tiergate/v1/streams/a/main/state', true],
    ['a/b', 'a/b/c', false],
  ])('%s vs %s -> %s', (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected);
  });
});
