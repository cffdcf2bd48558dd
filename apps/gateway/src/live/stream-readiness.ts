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
}

/**
 * Whether POST /live may answer from the holder at once, without waiting for a StreamEnsure round trip: a live
 * worker known to have what the caller needs. The ensure is still sent, in the background (it touches the
 * session, or starts it again if it closed since the last heartbeat). Anything less (unknown, still starting,
 * a stale heartbeat, the bus down) takes the waiting path. Pure.
 */
export function answersFromHolder(holder: HolderView | undefined, want: StreamReadiness): boolean {
  return holder !== undefined && holder.live && holder.busConnected && satisfies(holder.readiness, want);
}
