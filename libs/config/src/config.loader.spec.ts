import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, envNameOf, loadConfig } from './config.loader';

const configDir = join(__dirname, '..', '..', '..', 'config');

describe('loadConfig', () => {
  it('reads the defaults and applies the contract variables', () => {
    const c = loadConfig({ configDir, env: { PORT: '9090', TIERGATE_HOST: '0.0.0.0', TIERGATE_DEMO: '1', DATABASE_URL: 'postgres://u@h:5432/d' } });
    expect(c.http).toEqual(expect.objectContaining({ port: 9090, host: '0.0.0.0' }));
    expect(c.demo.enabled).toBe(true);
    expect(c.database.url).toBe('postgres://u@h:5432/d');
    expect(c.discovery.multicastInterface).toBe('');
  });

  it('accepts any key as TIERGATE__SECTION__KEY', () => {
    const c = loadConfig({ configDir, env: { TIERGATE__TRANSCODER__IDLE_CLOSE_MS: '5000' } });
    expect(c.transcoder.idleCloseMs).toBe(5000);
  });

  it('names every bad key in one error', () => {
    let error: unknown;
    try {
      loadConfig({ configDir, env: { PORT: 'eighty', MQTT_URL: 'http://x', TIERGATE_SECRET_KEY: 'short', TIERGATE__NOPE__X: '1' } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/http\.port/);
    expect(problems).toMatch(/mqtt\.url/);
    expect(problems).toMatch(/auth\.secretKey/);
    expect(problems).toMatch(/TIERGATE__NOPE__X/);
    expect((error as ConfigError).problems).toHaveLength(4);
  });

  const problemsOf = (env: NodeJS.ProcessEnv, extra: Parameters<typeof loadConfig>[0] = {}): string[] => {
    try {
      loadConfig({ configDir, env, ...extra });
    } catch (e) {
      if (e instanceof ConfigError) return e.problems;
      throw e;
    }
    throw new Error('expected a ConfigError');
  };

  it('names the environment variable, its key and the value the user set', () => {
    expect(problemsOf({ PORT: 'not-a-port' })).toEqual(['PORT (http.port) must be an integer 0..65535 (0 picks a free port), got "not-a-port"']);
    expect(problemsOf({ PORT: '70000' })).toEqual(['PORT (http.port) must be an integer 0..65535 (0 picks a free port), got "70000"']);
    expect(problemsOf({ TIERGATE_DEMO: 'maybe' })).toEqual(['TIERGATE_DEMO (demo.enabled) must be true/false or 1/0, got "maybe"']);
    expect(problemsOf({ TIERGATE_LOG_LEVEL: 'loud' })).toEqual(['TIERGATE_LOG_LEVEL (log.level) must be one of debug, info, warn, error, got "loud"']);
    expect(problemsOf({ TIERGATE_DATA_DIR: '' })).toEqual(['TIERGATE_DATA_DIR (dataDir) must not be empty']);
  });

  it('names a TIERGATE__SECTION__KEY override as it was written', () => {
    expect(problemsOf({ TIERGATE__TRANSCODER__IDLE_CLOSE_MS: 'soon' })).toEqual([
      'TIERGATE__TRANSCODER__IDLE_CLOSE_MS (transcoder.idleCloseMs) must be an integer 1..3600000, got "soon"',
    ]);
    expect(problemsOf({ TIERGATE__DISCOVERY__PORTS: '80,x' })).toEqual([
      'TIERGATE__DISCOVERY__PORTS (discovery.ports) must be a comma-separated list of integers 1..65535, got "80,x"',
    ]);
    // The more specific variable wins over the contract one, and is the one named.
    expect(problemsOf({ PORT: '8080', TIERGATE__HTTP__PORT: 'x' })).toEqual(['TIERGATE__HTTP__PORT (http.port) must be an integer 0..65535 (0 picks a free port), got "x"']);
    expect(problemsOf({ TIERGATE__NOPE__X: '1' })).toEqual(['TIERGATE__NOPE__X is not a configuration key (nope.x is unknown; see config/default.yaml)']);
  });

  it('never repeats a secret or a URL password in a message', () => {
    const problems = problemsOf({ TIERGATE_SECRET_KEY: 'hunter2', DATABASE_URL: 'mysql://root:s3cret@db/x' }).join('\n');
    expect(problems).toContain('TIERGATE_SECRET_KEY (auth.secretKey) must be at least 16 characters, got 7 characters');
    expect(problems).toContain('DATABASE_URL (database.url) must be a postgres:// URL, got "mysql://***@db/x"');
    expect(problems).not.toMatch(/hunter2|s3cret/);
  });

  it('names the file a bad value came from', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiergate-config-'));
    const file = join(dir, 'site.yaml');
    writeFileSync(file, 'http:\n  port: eighty\nhealth:\n  everySoOften: 3\n');
    expect(problemsOf({ TIERGATE_CONFIG: file })).toEqual([
      `health.everySoOften (in ${file}) is not a configuration key`,
      `http.port (in ${file}) must be an integer 0..65535 (0 picks a free port), got "eighty"`,
    ]);
  });

  it('tells which variable sets a key', () => {
    expect(envNameOf('http.port')).toBe('PORT');
    expect(envNameOf('lifecycle.startRetrySeconds')).toBe('TIERGATE__LIFECYCLE__START_RETRY_SECONDS');
    const c = loadConfig({ configDir, env: { [envNameOf('lifecycle.startRetrySeconds')]: '5' } });
    expect(c.lifecycle.startRetrySeconds).toBe(5);
  });
});

describe('recording keys', () => {
  it('default: one root r0 under the data dir with a 20 GiB quota, 4 s segments, 512 MiB minimum free', () => {
    const c = loadConfig({ configDir, env: {} });
    expect(c.recording.roots).toEqual([{ id: 'r0', path: 'recordings', quotaBytes: 20 * 2 ** 30 }]);
    expect(c.recording.segmentSeconds).toBe(4);
    expect(c.recording.minFreeBytes).toBe(512 * 2 ** 20);
    expect(c.recording.pruneIntervalSeconds).toBe(60);
  });

  it('roots from the environment: compact form, JSON, or empty (records nothing)', () => {
    const compact = loadConfig({ configDir, env: { TIERGATE__RECORDING__ROOTS: 'a=/srv/rec:500g, b=/mnt/x:y:1048576' } });
    expect(compact.recording.roots).toEqual([{ id: 'a', path: '/srv/rec', quotaBytes: 500 * 2 ** 30 }, { id: 'b', path: '/mnt/x:y', quotaBytes: 1048576 }]);
    const json = loadConfig({ configDir, env: { TIERGATE__RECORDING__ROOTS: '[{"id":"j","path":"/j","quotaBytes":"8m"}]' } });
    expect(json.recording.roots).toEqual([{ id: 'j', path: '/j', quotaBytes: 8 * 2 ** 20 }]);
    expect(loadConfig({ configDir, env: { TIERGATE__RECORDING__ROOTS: '' } }).recording.roots).toEqual([]);
  });

  it('a bad root or size is named', () => {
    expect(() => loadConfig({ configDir, env: { TIERGATE__RECORDING__ROOTS: 'bad id=/x:1g' } })).toThrow(/recording\.roots.*id of letters/);
    expect(() => loadConfig({ configDir, env: { TIERGATE__RECORDING__ROOTS: 'a=/x:1g,a=/y:1g' } })).toThrow(/root a twice/);
    expect(() => loadConfig({ configDir, env: { TIERGATE__RECORDING__MIN_FREE_BYTES: 'lots' } })).toThrow(/recording\.minFreeBytes.*byte count/);
  });
});
