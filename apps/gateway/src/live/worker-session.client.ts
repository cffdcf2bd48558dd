import { Inject, Injectable, Logger } from '@nestjs/common';
import { StreamTokens } from '@tiergate/access';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { Commands, StreamEnsureReply, StreamEnsureRequest, type StreamKey, WorkerHeartbeatMessage } from '@tiergate/contracts';
import { MqttBus, RpcErrorReply } from '@tiergate/messaging';
import { WorkerDirectory } from './worker.directory';
import { PlaylistProbe, WorkerLink } from './worker-link';

/** While waiting for a worker's StreamEnsure reply, ask it over HTTP this often whether it is still there. */
const WATCH_EVERY_MS = 1000;
/** The identity in the tokens this gateway signs for its own probes of workers. */
const PROBE_SUBJECT = 'tiergate-gateway';

export type EnsureOutcome = { kind: 'reply'; reply: StreamEnsureReply | RpcErrorReply } | { kind: 'down' };

/**
 * The gateway's conversation with one worker about one session: asking it to run the session (StreamEnsure on
 * the bus, watched over HTTP so a dead worker ends the wait at once) and asking whether it serves it now (a
 * playlist probe with a token this gateway signs, for when heartbeats say nothing).
 */
@Injectable()
export class WorkerSessionClient {
  private readonly logger = new Logger('WorkerSessionClient');

  constructor(
    private readonly bus: MqttBus,
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
    private readonly tokens: StreamTokens,
    private readonly link: WorkerLink,
    private readonly workers: WorkerDirectory,
  ) {}

  /** Whether the message bus is up: without it no new session can start. */
  get busConnected(): boolean {
    return this.bus.connected;
  }

  /** Why the worker cannot be reached (the error code: refused, reset, unanswered), undefined when it answers HTTP at all. */
  unreachableBecause(worker: WorkerHeartbeatMessage): Promise<string | undefined> {
    return this.link.unreachableBecause(worker.baseUrl);
  }

  /** Whether the worker serves the session's playlist right now (over HTTP, whatever its heartbeat says). */
  serves(worker: WorkerHeartbeatMessage, key: StreamKey): Promise<PlaylistProbe> {
    return this.link.playlist(worker.baseUrl, key, this.tokens.issue(PROBE_SUBJECT, key.cameraId, key.profile).token);
  }

  /**
   * Sends StreamEnsure to a worker without waiting for it: the session is known to run there, so the answer
   * goes out at once, and this only touches it (or starts it again, should it have closed since the worker's last
   * heartbeat). A refusal or no reply is logged; the viewer's socket or playlist request then finds no stream and
   * its player asks again, which takes the waiting path.
   */
  ensureInBackground(worker: WorkerHeartbeatMessage, request: StreamEnsureRequest): void {
    const key = `${request.cameraId}/${request.profile}`;
    this.bus.request<StreamEnsureReply | RpcErrorReply>(Commands.streamEnsure(worker.workerId), request, this.config.transcoder.startTimeoutMs + 3000).then(
      (reply) => {
        if ('error' in reply) this.logger.warn(`background StreamEnsure of ${key} on ${worker.workerId}: ${reply.error.code} ${reply.error.message}`);
        else if (!reply.ok) this.logger.warn(`background StreamEnsure of ${key} on ${worker.workerId}: ${reply.code ?? 'failed'} ${reply.message ?? ''}`);
      },
      (err: unknown) => this.logger.warn(`background StreamEnsure of ${key} on ${worker.workerId}: ${err instanceof Error ? err.message : String(err)}`),
    );
  }

  /**
   * Sends StreamEnsure to a worker and waits for its reply (bounded by the start timeout), while asking
   * the worker over HTTP whether it is still there: a dead worker ends the wait at once ('down').
   */
  async ensure(worker: WorkerHeartbeatMessage, request: StreamEnsureRequest): Promise<EnsureOutcome> {
    const reply = this.bus.request<StreamEnsureReply | RpcErrorReply>(Commands.streamEnsure(worker.workerId), request, this.config.transcoder.startTimeoutMs + 3000);
    let stop = () => {};
    const down = new Promise<EnsureOutcome>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      let stopped = false;
      const dead = () => resolve({ kind: 'down' });
      const unlisten = this.workers.onDeath((id) => id === worker.workerId && dead());
      stop = () => {
        stopped = true;
        clearTimeout(timer);
        unlisten();
      };
      const check = async () => {
        if (stopped) return;
        const code = await this.link.unreachableBecause(worker.baseUrl);
        // a busy worker that is slow to answer the probe is still starting the stream: keep waiting for its reply
        if (code !== undefined && !stopped && this.workers.reportFailure(worker.workerId, code, `${code} while starting a stream`) === 'dead') return dead();
        if (!stopped) timer = setTimeout(() => void check(), WATCH_EVERY_MS);
      };
      void check();
    });
    try {
      return await Promise.race([reply.then((r): EnsureOutcome => ({ kind: 'reply', reply: r })), down]);
    } finally {
      stop();
      reply.catch(() => undefined); // a reply that comes after the worker was found dead is dropped
    }
  }
}
