import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Counter, Gauge, register } from 'prom-client';
import { RecordingTopics, Topics } from '@tiergate/contracts';
import { ScopeService, scopeAllowsCamera, scopeAllowsJurisdiction } from '@tiergate/access';
import { CameraRepository } from '@tiergate/persistence';
import { MqttBus } from '@tiergate/messaging';
import { CameraPlacements } from './camera-placements';
import { EventAuthService, StreamHolder } from './event-auth.service';
import { alertLevelConcerns, alertLevelEventOf, CameraEvent, cameraEventOf, camerasChangedFor, camerasChangedOf, EndReason, sseFrame, sseRetry, SSE_PING } from './event-format';

/** Comment line every this often: proxies keep the stream, the session is checked again. */
export const EVENT_HEARTBEAT_MS = 15_000;
/** EventSource's reconnect delay hint (the console's own backoff starts there too). */
export const EVENT_RETRY_MS = 3_000;
/** Open streams per user: the newest replaces the oldest (a wall PC that lost its network comes back at once). */
export const MAX_STREAMS_PER_USER = 8;
/** A client this far behind (bytes queued in the socket) is cut off; it reconnects and gets the state again. */
const MAX_QUEUED_BYTES = 512 * 1024;

/** Where a stream writes: an HTTP response (express) or a fake in tests. */
export interface EventSink {
  write(chunk: string): boolean;
  end(): void;
  /** Drops what is still queued (a client too far behind). */
  destroy(): void;
  readonly writableLength: number;
}

interface OpenStream {
  id: number;
  holder: StreamHolder;
  sink: EventSink;
  /** Every write of this stream goes through this chain, so events arrive in the order the bus gave them. */
  chain: Promise<void>;
  closed: boolean;
}

const metric = <T>(name: string, make: () => T): T => (register.getSingleMetric(name) as T | undefined) ?? make();
const openStreams = metric('tiergate_event_streams', () => new Gauge({ name: 'tiergate_event_streams', help: 'Open GET /api/events streams' }));
const eventsSent = metric('tiergate_events_sent_total', () => new Counter({ name: 'tiergate_events_sent_total', help: 'Events written to event streams', labelNames: ['event'] }));
const streamsEnded = metric('tiergate_event_streams_ended_total', () =>
  new Counter({ name: 'tiergate_event_streams_ended_total', help: 'Event streams ended by the server or the client', labelNames: ['reason'] }));

/**
 * The push channel of the console (docs/events.md): every open `GET /api/events` stream gets the camera
 * statuses, stream and recording states and camera-list changes of the cameras its user may see, and the alert
 * levels of the nodes it sees or works under, from the bus. One subscription per topic for the whole process;
 * per event, one in-memory scope check per stream (`ScopeService.cameraAccess` on the cached placement of the camera: no query per event per client). On
 * connect a stream gets the last status of each of its cameras. A stream ends when its user's session does
 * (logout, disable, any token version bump, the login token's expiry), when the same user opens too many,
 * when it falls too far behind, and at shutdown.
 */
@Injectable()
export class EventStreamsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('EventStreams');
  private readonly streams = new Map<number, OpenStream>();
  private readonly statuses = new Map<string, CameraEvent>();
  private readonly placements: CameraPlacements;
  private readonly unsubscribe: (() => Promise<void>)[] = [];
  private heartbeat?: NodeJS.Timeout;
  private nextId = 1;

  constructor(
    private readonly bus: MqttBus,
    private readonly scope: ScopeService,
    private readonly auth: EventAuthService,
    cameras: CameraRepository,
  ) {
    this.placements = new CameraPlacements({ all: () => cameras.placementsWithTags(), some: (ids) => cameras.placementsOf(ids) });
  }

  async onModuleInit(): Promise<void> {
    const onCameraEvent = (topic: string, payload: unknown) => this.onCameraEvent(topic, payload);
    for (const filter of [Topics.cameraStatusAll, Topics.streamStateAll, RecordingTopics.stateAll, Topics.cameraAlarmAll]) this.unsubscribe.push(await this.bus.subscribe(filter, onCameraEvent));
    this.unsubscribe.push(await this.bus.subscribe(Topics.alertLevelAll, (topic, payload) => this.onAlertLevel(topic, payload)));
    this.unsubscribe.push(await this.bus.subscribe(Topics.camerasChanged, (_t, payload) => void this.onCamerasChanged(payload)));
    this.unsubscribe.push(await this.bus.subscribe(Topics.jurisdictionsChanged, () => void this.placements.reloadAll().catch((e) => this.warn('reload of camera placements', e))));
    // after SessionUsers has dropped its cached row (its handler runs in the same turn)
    this.unsubscribe.push(await this.bus.subscribe(Topics.userChangedAll, (topic) => setImmediate(() => this.recheckUser(topic.split('/')[3]))));
    this.heartbeat = setInterval(() => this.beat(), EVENT_HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.heartbeat);
    await Promise.all(this.unsubscribe.splice(0).map((u) => u().catch(() => undefined)));
    for (const s of [...this.streams.values()]) this.end(s, 'shutdown');
  }

  /** Open streams now (all users). */
  get openCount(): number {
    return this.streams.size;
  }

  /**
   * Starts a stream on `sink` (headers already sent): the retry hint, the last status of each visible camera,
   * `ready`, then live events. Returns the function to call when the client goes away.
   */
  open(holder: StreamHolder, sink: EventSink): () => void {
    const mine = [...this.streams.values()].filter((s) => s.holder.principal.userId === holder.principal.userId);
    for (const old of mine.slice(0, Math.max(0, mine.length - MAX_STREAMS_PER_USER + 1))) this.end(old, 'replaced');
    const stream: OpenStream = { id: this.nextId++, holder, sink, chain: Promise.resolve(), closed: false };
    this.streams.set(stream.id, stream);
    openStreams.inc();
    sink.write(sseRetry(EVENT_RETRY_MS));
    this.enqueue(stream, () => this.sendInitialState(stream));
    return () => this.remove(stream, 'client-gone');
  }

  private async sendInitialState(stream: OpenStream): Promise<void> {
    await this.placements.load();
    const scope = await this.scope.scopeOf(stream.holder.principal);
    for (const [cameraId, jurisdictionId] of this.placements.entries()) {
      const status = this.statuses.get(cameraId);
      if (status && scopeAllowsCamera(scope, { id: cameraId, jurisdictionId })) this.write(stream, status.name, status.data);
    }
    this.write(stream, 'ready', { at: new Date().toISOString() });
  }

  private onCameraEvent(topic: string, payload: unknown): void {
    const event = cameraEventOf(topic, payload);
    if (!event) {
      // a cleared retained status: the camera was deleted
      if (payload === null && topic.endsWith('/status')) this.statuses.delete(topic.split('/')[3] ?? '');
      return;
    }
    if (event.name === 'camera-status') this.statuses.set(event.cameraId, event);
    if (this.streams.size === 0) return;
    // one placement read and one scope check per user for this event, shared by that user's streams
    let node: Promise<string | null | undefined> | undefined;
    const allowed = new Map<string, Promise<boolean>>();
    const allows = (principal: StreamHolder['principal']): Promise<boolean> => {
      let answer = allowed.get(principal.userId);
      if (!answer) {
        answer = (node ??= this.placements.nodeOf(event.cameraId)).then(async (jurisdictionId) =>
          jurisdictionId !== undefined && !!(await this.scope.cameraAccess(principal, { id: event.cameraId, jurisdictionId })));
        allowed.set(principal.userId, answer);
      }
      return answer;
    };
    for (const stream of this.streams.values()) {
      this.enqueue(stream, async () => {
        if (await allows(stream.holder.principal)) this.write(stream, event.name, event.data);
      });
    }
  }

  /**
   * A node's own alert level was set: sent to every stream whose user sees the node or works below it (a post PC
   * of the station that raised it). Retained messages heard at start-up reach no stream (none is open yet).
   */
  private onAlertLevel(topic: string, payload: unknown): void {
    const data = alertLevelEventOf(topic, payload);
    if (!data || this.streams.size === 0) return;
    const concerns = new Map<string, Promise<boolean>>();
    const concernsUser = (principal: StreamHolder['principal']): Promise<boolean> => {
      let answer = concerns.get(principal.userId);
      if (!answer) {
        answer = Promise.all([this.scope.scopeOf(principal), this.scope.tree()]).then(([scope, tree]) =>
          tree.has(data.jurisdictionId) && alertLevelConcerns({ home: principal.jurisdictionId, seesNode: scopeAllowsJurisdiction(scope, data.jurisdictionId) }, data.jurisdictionId, (root, id) => tree.isInSubtree(root, id)));
        concerns.set(principal.userId, answer);
      }
      return answer;
    };
    for (const stream of this.streams.values()) {
      this.enqueue(stream, async () => {
        if (await concernsUser(stream.holder.principal)) this.write(stream, 'alert-level', data);
      });
    }
  }

  private async onCamerasChanged(payload: unknown): Promise<void> {
    const notice = camerasChangedOf(payload);
    if (!notice) return;
    const before = this.placements.known(notice.cameraIds);
    try {
      if (notice.complete) await this.placements.refresh(notice.cameraIds);
      else await this.placements.reloadAll();
    } catch (e) {
      return this.warn('refresh of camera placements', e);
    }
    // a camera counts for a user when it could see it before (deleted, moved away) or can now
    const candidates = [...before, ...this.placements.known(notice.cameraIds)];
    for (const stream of this.streams.values()) {
      this.enqueue(stream, async () => {
        const visible = new Set<string>();
        for (const c of candidates) if (!visible.has(c.id) && (await this.scope.cameraAccess(stream.holder.principal, c))) visible.add(c.id);
        const data = camerasChangedFor(notice, visible);
        if (data) this.write(stream, 'cameras-changed', data);
      });
    }
  }

  private recheckUser(userId: string | undefined): void {
    for (const stream of this.streams.values()) if (stream.holder.principal.userId === userId) this.recheck(stream);
  }

  private recheck(stream: OpenStream): void {
    this.auth.stillValid(stream.holder).then(
      (valid) => valid || this.end(stream, 'session-ended'),
      (e) => this.warn('session check', e),
    );
  }

  private beat(): void {
    for (const stream of this.streams.values()) {
      // the comment keeps proxies from timing out; the event is what EventSource can see (it hides comments),
      // so a page notices a dead connection within a few heartbeats
      this.enqueue(stream, async () => {
        stream.sink.write(SSE_PING);
        this.write(stream, 'heartbeat', { at: new Date().toISOString() });
      });
      this.recheck(stream);
    }
  }

  private enqueue(stream: OpenStream, task: () => Promise<void>): void {
    stream.chain = stream.chain.then(async () => {
      if (stream.closed) return;
      try {
        await task();
      } catch (e) {
        // a home node deleted under the user (FORBIDDEN from the scope check): its session is over in effect
        this.warn(`event stream ${stream.id}`, e);
        this.end(stream, 'session-ended');
      }
    });
  }

  private write(stream: OpenStream, name: string, data: unknown): void {
    if (stream.closed) return;
    if (stream.sink.writableLength > MAX_QUEUED_BYTES) return this.end(stream, 'too-slow');
    stream.sink.write(sseFrame(name, data));
    eventsSent.inc({ event: name });
  }

  private end(stream: OpenStream, reason: EndReason): void {
    if (stream.closed) return;
    if (reason === 'too-slow') stream.sink.destroy();
    else {
      stream.sink.write(sseFrame('end', { reason }));
      stream.sink.end();
    }
    this.remove(stream, reason);
  }

  private remove(stream: OpenStream, reason: EndReason | 'client-gone'): void {
    if (!this.streams.delete(stream.id)) return;
    stream.closed = true;
    openStreams.dec();
    streamsEnded.inc({ reason });
  }

  private warn(what: string, e: unknown): void {
    this.logger.warn(`${what} failed: ${(e as Error).message}`);
  }
}
