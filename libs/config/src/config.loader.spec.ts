import { join } from 'node:path';
import { ConfigError, loadConfig } from './config.loader';

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
});
