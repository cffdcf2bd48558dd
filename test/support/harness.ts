import { loadConfig, TiergateConfig } from '@tiergate/config';
import { createScratchDatabase, ScratchDatabase } from '@tiergate/persistence';
import { ProcessSpec, RunningProcess, startProcess } from '@tiergate/platform';

export const ADMIN_PASSWORD = 'admin-test-password';

/**
 * Starts a Tiergate process for an integration test. In embedded mode: PGlite in memory and an
 * in-process broker. In external mode (DATABASE_URL and MQTT_URL set): a fresh database created on the
 * server for this test file and dropped afterwards, and the real broker.
 */
export async function startTestProcess(spec: ProcessSpec, overrides: Record<string, unknown> = {}): Promise<TestProcess> {
  const external = process.env.TIERGATE_TEST_MODE === 'external';
  const scratch: ScratchDatabase | undefined = external ? await createScratchDatabase(process.env.DATABASE_URL!) : undefined;
  const config: TiergateConfig = loadConfig({
    env: {},
    overrides: {
      'http.port': 0,
      dataDir: 'memory://',
      'database.url': scratch?.url ?? '',
      'mqtt.url': external ? process.env.MQTT_URL : '',
      'auth.adminPassword': ADMIN_PASSWORD,
      'auth.secretKey': 'integration-test-secret-key',
      'log.level': 'warn',
      // A worker host runs its worker and its ffmpegs; here ffmpeg shares the machine with another test run
      // and a browser, which niceness would put first. The niceness itself: libs/media ffmpeg.process.spec.
      'transcoder.ffmpegNiceness': 0,
      ...overrides,
    },
  });
  const running = await startProcess(config, spec).catch(async (e) => {
    await scratch?.drop();
    throw e;
  });
  return new TestProcess(running, async () => {
    await scratch?.drop();
  });
}

export class TestProcess {
  constructor(
    readonly running: RunningProcess,
    private readonly cleanup: () => Promise<void>,
  ) {}

  get url(): string {
    return this.running.url!;
  }

  async stop(): Promise<void> {
    await this.running.stop();
    await this.cleanup();
  }

  /** Calls the HTTP API; returns status and parsed body. */
  async call(method: string, path: string, options: { token?: string; body?: unknown; contentType?: string; raw?: string | Buffer } = {}) {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | Buffer | undefined;
    if (options.raw !== undefined) {
      body = options.raw;
      headers['content-type'] = options.contentType ?? 'text/csv';
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(`${this.url}${path}`, { method, headers, body: body as BodyInit | undefined });
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, body: json, text, headers: res.headers };
  }

  async login(username = 'admin', password = ADMIN_PASSWORD): Promise<string> {
    const res = await this.call('POST', '/api/auth/login', { body: { username, password } });
    if (res.status !== 200) throw new Error(`login of ${username} failed: ${res.status} ${res.text}`);
    return res.body.accessToken;
  }
}
