// The district benchmark's load generator, its own process so its CPU is not counted as the product's:
//   node dist/bench/support/district-viewers.js <plan.json> <result.json>
// Each viewer plays one tile the way the console does. MSE: POST /api/cameras/:id/live {profile}, connect
// mseUrl, count fragments, renew the token on the socket before it expires, reconnect after a close. Classic
// HLS: like hls.js, the playlist every ~1 s (half that when it did not change) and each new segment once.
// Stalls (only inside the measured window): MSE, no fragment for more than 1 s; HLS, a segment that came
// more than its duration + 1 s after the one before. Prints JSON lines {"event": ...} on stdout.
import { Agent, request } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';

export interface ViewerPlan {
  readonly id: string;
  readonly kind: 'mse' | 'hls';
  /** wall, post (what kind of screen the tile is on). */
  readonly screen: string;
  readonly cameraId: string;
  readonly bearer: string;
  /** The screen's own loopback address: every connection of a screen comes from it, as from its own PC. */
  readonly sourceAddress: string;
}

export interface LoadPlan {
  readonly gatewayUrl: string;
  readonly profile: string;
  readonly rampSeconds: number;
  readonly settleSeconds: number;
  readonly measureSeconds: number;
  readonly viewers: readonly ViewerPlan[];
}

export interface ViewerResult {
  readonly id: string;
  readonly kind: 'mse' | 'hls';
  readonly screen: string;
  readonly joinMs?: number;
  readonly stalls: number;
  readonly stalledMs: number;
  readonly maxGapMs: number;
  readonly bytes: number;
  readonly units: number;
  readonly reconnects: number;
  readonly errors: Record<string, number>;
}

const STALL_MS = 1000;
/** Renew this long before the token expires (the console renews well ahead too). */
const RENEW_AHEAD_MS = 45_000;
/** One keep-alive agent per screen (source address). */
const agents = new Map<string, Agent>();
const agentFor = (localAddress: string) => {
  let a = agents.get(localAddress);
  if (!a) agents.set(localAddress, (a = new Agent({ keepAlive: true, maxSockets: Infinity, localAddress })));
  return a;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function httpCall(agent: Agent, method: string, url: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent, timeout: 15_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

interface LiveAnswer {
  hlsUrl: string;
  mseUrl: string;
  expiresAt: string;
}

/** The measured window: stalls and bytes count only between `from` and `to`. */
const window = { from: Infinity, to: Infinity };
const inWindow = (t: number) => t >= window.from && t <= window.to;
let stopping = false;

abstract class Viewer {
  joinMs?: number;
  stalls = 0;
  stalledMs = 0;
  maxGapMs = 0;
  bytes = 0;
  units = 0;
  reconnects = 0;
  readonly errors: Record<string, number> = {};
  protected answer?: LiveAnswer;
  private renewTimer?: NodeJS.Timeout;

  constructor(
    readonly plan: ViewerPlan,
    private readonly gatewayUrl: string,
    private readonly profile: string,
  ) {}

  protected error(kind: string): void {
    this.errors[kind] = (this.errors[kind] ?? 0) + 1;
  }

  /** A gap between two arrivals at `at`: a stall when longer than its allowance; counted only in the window. */
  /** `prevAt` 0: nothing arrived yet, so the gap runs from the window's start (a tile not playing is stalled). */
  protected gap(prevAt: number, at: number, allowanceMs: number): void {
    if (!inWindow(at)) return;
    const from = Math.max(prevAt, window.from);
    const gap = at - from;
    this.maxGapMs = Math.max(this.maxGapMs, gap);
    if (gap > allowanceMs) {
      this.stalls++;
      this.stalledMs += gap;
    }
  }

  protected async live(): Promise<LiveAnswer> {
    for (;;) {
      try {
        const res = await httpCall(agentFor(this.plan.sourceAddress), 'POST', `${this.gatewayUrl}/api/cameras/${this.plan.cameraId}/live`, { authorization: `Bearer ${this.plan.bearer}`, 'content-type': 'application/json' }, JSON.stringify(this.plan.kind === 'mse' ? { profile: this.profile, transport: 'mse' } : { profile: this.profile })); // as the console asks
        if (res.status === 200) {
          const answer = JSON.parse(res.body.toString('utf8')) as LiveAnswer;
          this.scheduleRenew(answer);
          return answer;
        }
        this.error(`live ${res.status}`);
      } catch (e) {
        this.error(`live ${(e as Error).message}`);
      }
      if (stopping) throw new Error('stopping');
      await sleep(1000);
    }
  }

  private scheduleRenew(answer: LiveAnswer): void {
    clearTimeout(this.renewTimer);
    this.answer = answer;
    const inMs = Math.max(5000, Date.parse(answer.expiresAt) - Date.now() - RENEW_AHEAD_MS);
    this.renewTimer = setTimeout(() => {
      if (stopping) return;
      void this.live().then((a) => this.renewed(a), () => undefined);
    }, inMs);
    this.renewTimer.unref();
  }

  /** A newer answer for the same stream (before the old token expires). */
  protected abstract renewed(answer: LiveAnswer): void;
  abstract start(): Promise<void>;
  abstract finish(at: number): void;

  stop(): void {
    clearTimeout(this.renewTimer);
  }

  result(): ViewerResult {
    const { id, kind, screen } = this.plan;
    return { id, kind, screen, joinMs: this.joinMs, stalls: this.stalls, stalledMs: Math.round(this.stalledMs), maxGapMs: Math.round(this.maxGapMs), bytes: this.bytes, units: this.units, reconnects: this.reconnects, errors: this.errors };
  }
}

class MseViewer extends Viewer {
  private ws?: WebSocket;
  private lastAt = 0;

  async start(): Promise<void> {
    const t0 = performance.now();
    await this.connect(await this.live(), t0);
  }

  private async connect(answer: LiveAnswer, t0: number): Promise<void> {
    const ws = new WebSocket(answer.mseUrl, { perMessageDeflate: false, localAddress: this.plan.sourceAddress });
    this.ws = ws;
    ws.on('message', (data: Buffer, isBinary) => {
      if (!isBinary) return;
      const at = performance.now();
      if (this.joinMs === undefined) this.joinMs = at - t0;
      this.gap(this.lastAt, at, STALL_MS);
      this.lastAt = at;
      if (inWindow(at)) {
        this.bytes += data.length;
        this.units++;
      }
    });
    ws.on('error', (e) => this.error(`ws ${e.message.slice(0, 60)}`));
    const again = (why: string, afterMs: number) => {
      if (stopping || ws !== this.ws) return;
      this.ws = undefined;
      this.error(why);
      this.reconnects++;
      void sleep(afterMs).then(async () => this.connect(await this.live(), performance.now())).catch(() => undefined);
    };
    ws.on('unexpected-response', (req, res) => {
      res.resume();
      req.destroy();
      again(`ws upgrade ${res.statusCode}`, 1000); // the console asks for the stream again
    });
    ws.on('close', (code) => again(`close ${code}`, 500));
  }

  protected renewed(answer: LiveAnswer): void {
    const token = new URL(answer.mseUrl).searchParams.get('token');
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type: 'renew', token }));
  }

  finish(at: number): void {
    this.gap(this.lastAt, at, STALL_MS);
  }

  override stop(): void {
    super.stop();
    this.ws?.terminate();
  }
}

interface Listed {
  seq: number;
  durationS: number;
  uri: string;
}

function parsePlaylist(text: string): Listed[] {
  const m = /#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text);
  let seq = m ? Number(m[1]) : 0;
  const out: Listed[] = [];
  let duration = 0;
  for (const line of text.split('\n')) {
    const l = line.trim();
    if (l.startsWith('#EXTINF:')) duration = parseFloat(l.slice(8));
    else if (l && !l.startsWith('#')) out.push({ seq: seq++, durationS: duration, uri: l });
  }
  return out;
}

class HlsViewer extends Viewer {
  private playlistUrl = '';
  private next = -1;
  private lastAt = 0;
  private lastDurationS = 1;
  private lastText = '';

  async start(): Promise<void> {
    const t0 = performance.now();
    this.playlistUrl = (await this.live()).hlsUrl;
    void this.loop(t0);
  }

  protected renewed(answer: LiveAnswer): void {
    this.playlistUrl = answer.hlsUrl;
  }

  private async loop(t0: number): Promise<void> {
    while (!stopping) {
      let changed = false;
      try {
        const res = await httpCall(agentFor(this.plan.sourceAddress), 'GET', this.playlistUrl, {});
        if (res.status !== 200) {
          this.error(`playlist ${res.status}`);
          if (res.status === 404) this.playlistUrl = (await this.live()).hlsUrl; // the console asks again
        } else {
          const text = res.body.toString('utf8');
          changed = text !== this.lastText;
          this.lastText = text;
          if (inWindow(performance.now())) this.bytes += res.body.length;
          const listed = parsePlaylist(text);
          // hls.js starts about three target durations behind the end of the list
          if (this.next < 0 && listed.length > 0) this.next = listed[Math.max(0, listed.length - 3)]!.seq;
          for (const s of listed) {
            if (s.seq < this.next || stopping) continue;
            if (s.seq > this.next) this.error('segment skipped'); // fell out of the list before it was fetched
            const seg = await httpCall(agentFor(this.plan.sourceAddress), 'GET', new URL(s.uri, this.playlistUrl).toString(), {});
            const at = performance.now();
            if (seg.status !== 200) {
              this.error(`segment ${seg.status}`);
              break;
            }
            if (this.joinMs === undefined) this.joinMs = at - t0;
            this.gap(this.lastAt, at, this.lastDurationS * 1000 + STALL_MS);
            this.lastAt = at;
            this.lastDurationS = s.durationS;
            this.next = s.seq + 1;
            if (inWindow(at)) {
              this.bytes += seg.body.length;
              this.units++;
            }
          }
        }
      } catch (e) {
        this.error(`hls ${(e as Error).message.slice(0, 60)}`);
      }
      await sleep(changed ? 1000 : 500);
    }
  }

  finish(at: number): void {
    this.gap(this.lastAt, at, this.lastDurationS * 1000 + STALL_MS);
  }
}

const emit = (o: Record<string, unknown>) => process.stdout.write(JSON.stringify(o) + '\n');

async function main(): Promise<void> {
  const [planFile, resultFile] = process.argv.slice(2);
  const plan = JSON.parse(readFileSync(planFile!, 'utf8')) as LoadPlan;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const viewers = plan.viewers.map((v) => (v.kind === 'mse' ? new MseViewer(v, plan.gatewayUrl, plan.profile) : new HlsViewer(v, plan.gatewayUrl, plan.profile)));
  // the ramp: viewers join at an even pace, as screens come on at a shift start
  const t0 = performance.now();
  const gapMs = (plan.rampSeconds * 1000) / Math.max(1, viewers.length);
  const joins: Promise<void>[] = [];
  for (const [i, v] of viewers.entries()) {
    const due = t0 + i * gapMs - performance.now();
    if (due > 0) await sleep(due);
    joins.push(v.start().catch(() => undefined));
  }
  // viewers still waiting for their stream after the ramp and a grace keep trying, but the window starts
  // (they count as not playing and their gaps as stalls once they play)
  const RAMP_GRACE_MS = 90_000;
  await Promise.race([Promise.all(joins), sleep(plan.rampSeconds * 1000 + RAMP_GRACE_MS - (performance.now() - t0))]);
  emit({ event: 'ramped', seconds: (performance.now() - t0) / 1000, viewers: viewers.length, joined: viewers.filter((v) => v.joinMs !== undefined).length });
  await sleep(plan.settleSeconds * 1000);
  loop.reset();
  loop.enable();
  window.from = performance.now();
  window.to = window.from + plan.measureSeconds * 1000;
  emit({ event: 'measure-start', at: Date.now() });
  let minute = 0;
  while (performance.now() < window.to) {
    await sleep(Math.min(60_000, window.to - performance.now()));
    minute++;
    emit({ event: 'progress', minute, stalls: viewers.reduce((a, v) => a + v.stalls, 0), loopP99Ms: loop.percentile(99) / 1e6 });
  }
  const end = performance.now();
  for (const v of viewers) v.finish(end);
  emit({ event: 'measure-end', at: Date.now() });
  stopping = true;
  loop.disable();
  const results = viewers.map((v) => v.result());
  writeFileSync(resultFile!, JSON.stringify({ measuredSeconds: (end - window.from) / 1000, loopDelayMs: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 }, viewers: results }));
  for (const v of viewers) v.stop();
  for (const a of agents.values()) a.destroy();
  process.exit(0);
}

main().catch((e: unknown) => {
  process.stderr.write(`district-viewers: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
