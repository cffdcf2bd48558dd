import type { StreamReadiness } from '@tiergate/contracts';

/**
 * How a client will play the answer of POST /live (its `transport`): `hls` (the default: classic HLS, and
 * anything else that reads the playlist) or `mse` (the MSE WebSocket only).
 */
export const LIVE_TRANSPORTS = ['hls', 'mse'] as const;
export type LiveTransport = (typeof LIVE_TRANSPORTS)[number];

/**
 * What the session must have before POST /live answers: an MSE viewer needs the fMP4 init and a keyframe
 * fragment (the GOP cache hands it the keyframe at once); every other client the first classic segment, so
 * `hlsUrl` plays at once (CONTRACT.md). Pure.
 */
export function readinessFor(transport: LiveTransport | undefined): StreamReadiness {
  return transport === 'mse' ? 'fragment' : 'segment';
}

/** Whether a session that has `have` is enough for a caller who needs `want` (a segment comes after a keyframe fragment). Pure. */
export function satisfies(have: StreamReadiness | undefined, want: StreamReadiness): boolean {
  return have === 'segment' || (have === 'fragment' && want === 'fragment');
}

/** What the gateway knows about a session's holder when a POST /live comes in. */
export interface HolderView {
  /** Its heartbeat is fresh, not withdrawn, and it was not found dead. */
  live: boolean;
  /** The message bus is up (the background ensure can reach the worker). */
  busConnected: boolean;
  /** What the session is known to have there: its heartbeat says `ready` (segment), or this gateway's own placement answer said so. */
  readiness: StreamReadiness | undefined;
  /** The worker runs in this process and holds the session now (no network between: it cannot be dead while we run). */
  local: boolean;
}

/**
 * How POST /live goes on for a session with a known holder:
 * - `answer`: at once. The holder is this process's worker, live, and known to have what the caller needs.
 * - `probe`: once one HTTP request shows the (remote) worker still answers. That takes ~1 ms, and fails at once
 *   for a worker whose connections are refused or reset (killed), which is then skipped as before
 *   (docs/live-failover.md). A fresh heartbeat alone does not prove a worker is still alive.
 * - `wait`: the StreamEnsure round trip, as before (unknown, still starting, a stale heartbeat, the bus down).
 * In the first two cases the StreamEnsure still goes out, in the background: it touches the session, or starts it
 * again if it closed since the last heartbeat. Pure.
 */
export type HolderDecision = 'answer' | 'probe' | 'wait';

export function answerFromHolder(holder: HolderView | undefined, want: StreamReadiness): HolderDecision {
  if (!holder || !holder.live || !holder.busConnected || !satisfies(holder.readiness, want)) return 'wait';
  return holder.local ? 'answer' : 'probe';
}
