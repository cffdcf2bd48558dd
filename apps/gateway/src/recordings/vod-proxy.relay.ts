import { Inject, Injectable, OnModuleDestroy, Optional } from '@nestjs/common';
import { Agent, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { LOCAL_HLS_SERVER, LocalHlsServer } from '@tiergate/contracts';
import { WorkerDirectory } from '../live/worker.directory';

const UNAVAILABLE = JSON.stringify({ code: 'SERVICE_UNAVAILABLE', message: 'the worker holding this recording does not answer, retry' });
const PASSED_HEADERS = ['content-type', 'content-length', 'cache-control', 'content-disposition', 'digest'] as const;
/** A worker that sends no byte of a recorded file for this long is not answering. */
const ANSWER_DEADLINE_MS = 10_000;

/**
 * Passes a request for a recorded file (VOD, export download) to the worker holding it: the co-located worker
 * in process (LOCAL_HLS_SERVER, the same checks, no loopback hop), another over keep-alive HTTP at its
 * heartbeat's baseUrl. The first of `workerIds` that is known and not found dead answers; none: 503.
 */
@Injectable()
export class RecordedFileRelay implements OnModuleDestroy {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256 });

  constructor(
    private readonly workers: WorkerDirectory,
    @Optional() @Inject(LOCAL_HLS_SERVER) private readonly local?: LocalHlsServer,
  ) {}

  onModuleDestroy(): void {
    this.agent.destroy();
  }

  /** `path`: the worker's path and query (`/vod/…?…`, `/exports/<id>.mp4?token=…`). */
  async relay(workerIds: readonly string[], path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.local && workerIds.includes(this.local.workerId)) {
      req.url = path;
      return this.local.serve(req, res);
    }
    const worker = workerIds.map((id) => this.workers.deliverable(id)).find((w) => w !== undefined);
    if (!worker) {
      res.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '2', 'Cache-Control': 'no-store' });
      return void res.end(UNAVAILABLE);
    }
    await this.pipe(`${worker.baseUrl}${path}`, req, res);
  }

  private pipe(url: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    return new Promise((resolve, reject) => {
      const upstream = request(url, { method: req.method, agent: this.agent, timeout: ANSWER_DEADLINE_MS }, (up) => {
        const headers: Record<string, string | string[]> = {};
        for (const h of PASSED_HEADERS) {
          const v = up.headers[h];
          if (v !== undefined) headers[h] = v;
        }
        res.writeHead(up.statusCode ?? 502, headers);
        up.pipe(res);
        up.on('end', () => resolve());
        up.on('error', reject);
      });
      upstream.on('timeout', () => upstream.destroy(new Error(`no answer from ${new URL(url).host} within ${ANSWER_DEADLINE_MS} ms`)));
      upstream.on('error', reject);
      res.on('close', () => {
        if (!res.writableEnded) upstream.destroy();
      });
      upstream.end();
    });
  }
}

/** Answers a relay failure: 502 when nothing was sent yet, else the connection is cut. */
export function relayFailed(res: ServerResponse): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(502, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(UNAVAILABLE);
}
