import type { IncomingMessage, ServerResponse } from 'node:http';

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
}

export const LOCAL_HLS_SERVER = Symbol('LOCAL_HLS_SERVER');
