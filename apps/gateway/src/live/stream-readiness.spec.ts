import { answersFromHolder, readinessFor, satisfies } from './stream-readiness';

describe('readinessFor', () => {
  it('an MSE viewer waits for a keyframe fragment; the default and classic HLS for the first segment', () => {
    expect(readinessFor('mse')).toBe('fragment');
    expect(readinessFor('hls')).toBe('segment');
    expect(readinessFor(undefined)).toBe('segment');
  });
});

describe('satisfies', () => {
  it.each([
    ['segment', 'segment', true],
    ['segment', 'fragment', true],
    ['fragment', 'fragment', true],
    ['fragment', 'segment', false],
    [undefined, 'fragment', false],
    [undefined, 'segment', false],
  ] as const)('having %s is enough for %s: %s', (have, want, ok) => {
    expect(satisfies(have, want)).toBe(ok);
  });
});

describe('answersFromHolder', () => {
  const ready = { live: true, busConnected: true, readiness: 'segment' as const };

  it('answers at once from a live holder whose session is ready', () => {
    expect(answersFromHolder(ready, 'segment')).toBe(true);
    expect(answersFromHolder(ready, 'fragment')).toBe(true);
  });

  it('a session only known to have fragments answers MSE viewers at once, not classic HLS', () => {
    expect(answersFromHolder({ ...ready, readiness: 'fragment' }, 'fragment')).toBe(true);
    expect(answersFromHolder({ ...ready, readiness: 'fragment' }, 'segment')).toBe(false);
  });

  it.each([
    ['no holder', undefined],
    ['a stale or dead holder', { ...ready, live: false }],
    ['the bus down (the waiting path asks the worker over HTTP)', { ...ready, busConnected: false }],
    ['a session still starting', { ...ready, readiness: undefined }],
  ])('waits for the worker with %s', (_name, holder) => {
    expect(answersFromHolder(holder, 'fragment')).toBe(false);
  });
});
