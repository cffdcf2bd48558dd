import { answerFromHolder, readinessFor, satisfies } from './stream-readiness';

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

describe('answerFromHolder', () => {
  const ready = { live: true, busConnected: true, readiness: 'segment' as const, local: true };

  it('answers at once from this process\'s worker when its session is ready', () => {
    expect(answerFromHolder(ready, 'segment')).toBe('answer');
    expect(answerFromHolder(ready, 'fragment')).toBe('answer');
  });

  it('a remote worker is asked over HTTP first (a fresh heartbeat does not prove it is alive)', () => {
    expect(answerFromHolder({ ...ready, local: false }, 'segment')).toBe('probe');
  });

  it('a session only known to have fragments answers MSE viewers, not classic HLS', () => {
    expect(answerFromHolder({ ...ready, readiness: 'fragment' }, 'fragment')).toBe('answer');
    expect(answerFromHolder({ ...ready, readiness: 'fragment' }, 'segment')).toBe('wait');
  });

  it.each([
    ['no holder', undefined],
    ['a stale or dead holder', { ...ready, live: false }],
    ['the bus down (the waiting path asks the worker over HTTP)', { ...ready, busConnected: false }],
    ['a session still starting', { ...ready, readiness: undefined }],
  ])('waits for the worker with %s', (_name, holder) => {
    expect(answerFromHolder(holder, 'fragment')).toBe('wait');
  });
});
