import { brokerCredentialsOf, credentialsInUrl, secretsEqual, withCredentials } from './broker-credentials';
import { BusEnvelopes, ReplayGuard } from './bus-envelope';
import { filterAllowed } from './embedded-broker';

const KEY = 'unit-test-secret-key-1';
const TOPIC = 'tiergate/v1/cmd/partitioner/jurisdictions-delete';

describe('BusEnvelopes', () => {
  let now = 1_800_000_000_000;
  const envelopes = new BusEnvelopes(KEY, { now: () => now, freshnessMs: 30_000 });
  const refusal = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return (e as { reason?: string }).reason;
    }
    return 'accepted';
  };

  it('opens what it signed, with the sender and the payload', () => {
    const text = envelopes.sign(TOPIC, { actor: { username: 'admin' }, id: 'j1' }, 'gateway-1');
    expect(envelopes.open(TOPIC, JSON.parse(text))).toEqual({ sender: 'gateway-1', at: now, body: { actor: { username: 'admin' }, id: 'j1' } });
  });

  it.each([
    ['a bare payload', () => ({ actor: { username: 'mqtt-nobody' }, id: 'j1' }), 'unsigned'],
    ['an envelope with a changed actor', () => ({ ...JSON.parse(envelopes.sign(TOPIC, { actor: 'admin' }, 'g')), body: '{"actor":"mqtt-nobody"}' }), 'bad-signature'],
    ['an envelope signed with another key', () => JSON.parse(new BusEnvelopes('another-secret-key-2', { now: () => now }).sign(TOPIC, {}, 'g')), 'bad-signature'],
    ['an envelope moved to another topic', () => JSON.parse(envelopes.sign('tiergate/v1/cmd/partitioner/jurisdictions-import', {}, 'g')), 'bad-signature'],
    ['an envelope with its sender renamed', () => ({ ...JSON.parse(envelopes.sign(TOPIC, {}, 'g')), sender: 'transcoder-x' }), 'bad-signature'],
    ['an envelope with a non-numeric time', () => ({ ...JSON.parse(envelopes.sign(TOPIC, {}, 'g')), at: 'soon' }), 'malformed'],
  ])('refuses %s', (_name, make, reason) => {
    expect(refusal(() => envelopes.open(TOPIC, make()))).toBe(reason);
  });

  it('refuses an envelope outside the freshness window, either way', () => {
    const old = JSON.parse(envelopes.sign(TOPIC, {}, 'g'));
    now += 30_001;
    expect(refusal(() => envelopes.open(TOPIC, old))).toBe('stale');
    const future = JSON.parse(envelopes.sign(TOPIC, {}, 'g'));
    now -= 60_002;
    expect(refusal(() => envelopes.open(TOPIC, future))).toBe('stale');
    now += 30_001;
  });

  it('refuses a replay within the window when given a guard, and accepts each fresh message once', () => {
    const guard = new ReplayGuard();
    const a = JSON.parse(envelopes.sign(TOPIC, { n: 1 }, 'g'));
    const b = JSON.parse(envelopes.sign(TOPIC, { n: 1 }, 'g'));
    expect(refusal(() => envelopes.open(TOPIC, a, guard))).toBe('accepted');
    expect(refusal(() => envelopes.open(TOPIC, b, guard))).toBe('accepted');
    expect(refusal(() => envelopes.open(TOPIC, a, guard))).toBe('replayed');
  });

  it('keeps the replay guard bounded', () => {
    const guard = new ReplayGuard(10);
    for (let i = 0; i < 100; i++) guard.admit(`n${i}`, now + 1000, now);
    expect((guard as unknown as { seen: Map<string, number> }).seen.size).toBeLessThanOrEqual(10);
  });

  it('seals a secret that only the same key opens, and detects tampering', () => {
    const sealed = envelopes.seal('rtsp://admin:s3cret@10.0.0.5:554/main');
    expect(sealed).not.toContain('s3cret');
    expect(envelopes.unseal(sealed)).toBe('rtsp://admin:s3cret@10.0.0.5:554/main');
    expect(() => new BusEnvelopes('another-secret-key-2').unseal(sealed)).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('rtsp://admin:other@10.0.0.5/').toString('base64url');
    expect(() => envelopes.unseal(parts.join('.'))).toThrow();
    expect(() => envelopes.unseal('rtsp://admin:s3cret@host/')).toThrow(/unknown format/);
  });
});

describe('broker credentials', () => {
  it('derives one stable credential per secret key, different across keys', () => {
    expect(brokerCredentialsOf(KEY)).toEqual(brokerCredentialsOf(KEY));
    expect(brokerCredentialsOf(KEY).password).not.toBe(brokerCredentialsOf('another-secret-key-2').password);
    expect(brokerCredentialsOf(KEY).password).not.toContain(KEY);
    expect(brokerCredentialsOf(KEY).username).toBe('tiergate');
  });

  it('puts the derived credential into a URL without one, and keeps an explicit one', () => {
    const c = { username: 'tiergate', password: 'p/ss word' };
    expect(credentialsInUrl(withCredentials('mqtt://broker:1883', c))).toEqual(c);
    expect(withCredentials('mqtt://ops:given@broker:1883', c)).toBe('mqtt://ops:given@broker:1883');
    expect(credentialsInUrl('mqtt://broker:1883')).toBeUndefined();
  });

  it('compares secrets of any length without throwing', () => {
    expect(secretsEqual('abc', 'abc')).toBe(true);
    expect(secretsEqual(Buffer.from('abc'), 'abc')).toBe(true);
    expect(secretsEqual('abcd', 'abc')).toBe(false);
    expect(secretsEqual(undefined, 'abc')).toBe(false);
  });
});

describe('embedded broker topic filters', () => {
  it.each([
    ['tiergate/v1/#', true],
    ['tiergate/v1/workers/+/heartbeat', true],
    ['tiergate/v1', true],
    ['#', false],
    ['+/v1/cmd/#', false],
    ['tiergate/+/cmd/#', false],
    ['$SYS/#', false],
    ['other/topic', false],
    ['tiergate/v10/x', false],
  ])('%s allowed: %s', (filter, allowed) => {
    expect(filterAllowed(filter, ['tiergate/v1/#'])).toBe(allowed);
  });
});
