/** A small client of a gateway's HTTP API (the suite calls it as a browser or a script would). */
export class GatewayClient {
  token: string | undefined;

  constructor(readonly base: string) {}

  async call(method: string, path: string, options: { body?: unknown; raw?: string; contentType?: string; timeoutMs?: number } = {}) {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let body: string | undefined;
    if (options.raw !== undefined) {
      body = options.raw;
      headers['content-type'] = options.contentType ?? 'text/csv';
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(`${this.base}${path}`, { method, headers, body, signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, body: json, text, headers: res.headers };
  }

  async login(username: string, password: string): Promise<void> {
    const res = await this.call('POST', '/api/auth/login', { body: { username, password } });
    if (res.status !== 200) throw new Error(`login at ${this.base} failed: ${res.status} ${res.text}`);
    this.token = res.body.accessToken;
  }

  /** POST /api/cameras/:id/live → the hlsUrl (throws with the answer otherwise). */
  async live(cameraId: string, profile: 'main' | 'sub' = 'sub'): Promise<string> {
    const res = await this.call('POST', `/api/cameras/${cameraId}/live`, { body: { profile } });
    if (res.status !== 200 && res.status !== 201) throw new Error(`POST /live at ${this.base}: ${res.status} ${res.text}`);
    return res.body.hlsUrl;
  }
}
