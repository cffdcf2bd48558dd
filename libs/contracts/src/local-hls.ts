import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * A transcoder worker running in the same process as a gateway (npm start, or a gateway deployed with
 * its own worker). The gateway hands it the segment requests for the sessions it holds instead of
 * proxying them over loopback HTTP; the worker applies exactly the same checks.
 */
export interface LocalHlsServer {
  readonly workerId: string;
  /** Whether this worker has a live session for the camera and profile right now. */
  holds(cameraId: string, profile: string): boolean;
  serve(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /**
   * Takes over an HTTP upgrade (the MSE WebSocket, `msePathOf`) the gateway has already token-checked; the
   * worker checks again, exactly as its own HTTP server does. Issue 13.
   */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

export const LOCAL_HLS_SERVER = Symbol('LOCAL_HLS_SERVER');
