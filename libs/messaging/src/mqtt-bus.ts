import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { connect, IClientOptions, MqttClient } from 'mqtt';
import { commandOfTopic, eventOfTopic, payloadProblem, SIGNED_TOPICS, TOMBSTONE_TOPICS, topicMatches } from '@tiergate/contracts';
import { redactUrl, TiergateError } from '@tiergate/domain';
import { BusEnvelopes, EnvelopeRefused, ReplayGuard } from './bus-envelope';
import { ErrorReply, errorReplyOf, isErrorReply } from './error-reply';

export { topicMatches };

const INBOX_PREFIX = 'tiergate/v1/inbox/';

/** How a message arrived: `retained` when the broker replayed a stored one; `sender` for a verified signed one. */
export interface MessageMeta {
  retained: boolean;
  sender?: string;
}

export type MessageHandler = (topic: string, payload: unknown, meta: MessageMeta) => void;

export interface MqttBusOptions {
  /**
   * The shared secret key. With it the bus signs what it publishes on SIGNED_TOPICS, verifies what it
   * receives there, and can seal secrets; without it, signed topics are refused both ways.
   */
  secretKey?: string;
  /** Envelopes to use instead of ones made from `secretKey` (tests with a fake clock). */
  envelopes?: BusEnvelopes;
  timeoutMs?: number;
}

/** MQTT CONNACK codes (3.1.1: 4, 5; 5.0: 0x86, 0x87) that mean the broker refused the credential. */
const REFUSED_CREDENTIALS = new Set([4, 5, 0x86, 0x87]);

const matchesAny = (filters: readonly string[], topic: string) => filters.some((f) => topicMatches(f, topic));

/**
 * The one adapter around the MQTT client, and the process's one connection to the broker: publish/
 * subscribe of JSON events and request/reply between processes (`request`/`serve`). Payloads on the
 * topics of a contract (libs/contracts messages/: COMMANDS, EVENTS) are validated where they arrive: a
 * request before its handler runs, a reply before its caller sees it, an event before any subscriber.
 */
export class MqttBus {
  private readonly logger = new Logger('MqttBus');
  private readonly handlers: { filter: string; handler: MessageHandler }[] = [];
  private readonly guard = new ReplayGuard();
  /** The last retained message this bus published per topic, republished when a connection comes back. */
  private readonly retained = new Map<string, { payload: unknown; qos: 0 | 1 }>();
  private readonly willClients: MqttClient[] = [];
  private readonly refusalLogged = new Map<string, number>();

  private constructor(
    private readonly client: MqttClient,
    private readonly url: string,
    readonly clientId: string,
    readonly envelopes: BusEnvelopes | undefined,
  ) {
    client.on('message', (topic, buf, packet) => this.receive(topic, buf, packet.retain === true));
    // the first connect happened before the bus existed: every connect seen here is a reconnect
    client.on('connect', () => void this.republishRetained());
    client.on('error', (e) => this.warnThrottled(`broker connection: ${redactUrl(e.message)}`));
  }

  /**
   * Connects, failing with one clear message when the broker cannot be reached in time or refuses the
   * credential. The URL may carry the credential (mqtt://user:pass@host:port); it is never logged.
   */
  static async connect(url: string, clientId: string, options: MqttBusOptions = {}): Promise<MqttBus> {
    const timeoutMs = options.timeoutMs ?? 5000;
    const envelopes = options.envelopes ?? (options.secretKey ? new BusEnvelopes(options.secretKey) : undefined);
    const client = await connectClient(url, { clientId, reconnectPeriod: 1000, connectTimeout: timeoutMs, clean: true }, timeoutMs);
    return new MqttBus(client, url, clientId, envelopes);
  }

  get connected(): boolean {
    return this.client.connected;
  }

  /**
   * Publishes a JSON payload; on SIGNED_TOPICS as a signed envelope. A retained message is remembered and
   * published again after a reconnect (a restarted broker has lost it).
   */
  async publish(topic: string, payload: unknown, options: { retain?: boolean; qos?: 0 | 1 } = {}): Promise<void> {
    const qos = options.qos ?? 0;
    if (options.retain) this.retained.set(topic, { payload, qos });
    await this.client.publishAsync(topic, this.encode(topic, payload), { retain: options.retain ?? false, qos });
  }

  /** Removes the retained message of a topic (an empty retained publish, MQTT 3.1.1 §3.3.1.3). */
  async clearRetained(topic: string): Promise<void> {
    this.retained.delete(topic);
    await this.client.publishAsync(topic, '', { retain: true, qos: 1 });
  }

  /**
   * Has the broker clear `topic`'s retained message the moment this process dies without saying goodbye
   * (a crash, SIGKILL, a lost machine): an MQTT last will on a companion connection held for the life of
   * the bus (the main connection's will is fixed before the topic is known). A graceful close sends none;
   * clear the topic yourself then.
   */
  async holdLastWill(topic: string): Promise<void> {
    const options: IClientOptions = {
      clientId: `${this.clientId}-will-${this.willClients.length}`,
      reconnectPeriod: 1000,
      clean: true,
      will: { topic, payload: Buffer.alloc(0), retain: true, qos: 1 },
    };
    const client = await connectClient(this.url, options, 5000);
    client.on('error', () => undefined); // the main connection reports broker trouble
    this.willClients.push(client);
  }

  /** Seals a secret that has to cross the bus (AES-256-GCM with a key derived from the secret key). */
  sealSecret(plain: string): string {
    return this.requireEnvelopes().seal(plain);
  }

  /** Opens a secret sealed by sealSecret in any process holding the same secret key. */
  openSecret(sealed: string): string {
    return this.requireEnvelopes().unseal(sealed);
  }

  requireEnvelopes(): BusEnvelopes {
    if (!this.envelopes) throw new Error('this bus has no secret key: it cannot sign, verify or seal');
    return this.envelopes;
  }

  async subscribe(filter: string, handler: MessageHandler): Promise<() => Promise<void>> {
    this.handlers.push({ filter, handler });
    await this.client.subscribeAsync(filter, { qos: 0 });
    return async () => {
      const i = this.handlers.findIndex((h) => h.handler === handler);
      if (i >= 0) this.handlers.splice(i, 1);
      if (!this.handlers.some((h) => h.filter === filter)) await this.client.unsubscribeAsync(filter).catch(() => undefined);
    };
  }

  /**
   * Sends a request and resolves with the first reply: the reply payload, or an `ErrorReply` (see
   * `unwrapReply` to have it thrown). The reply comes back on this bus's inbox topic; on a command's topic
   * (COMMANDS) a reply that does not validate against its class comes back as an `INTERNAL` ErrorReply.
   * Rejects with SERVICE_UNAVAILABLE when nobody answers within `timeoutMs`.
   */
  async request<T>(topic: string, payload: unknown, timeoutMs: number): Promise<T> {
    await this.ensureInbox();
    const correlationId = randomUUID();
    const command = commandOfTopic(topic);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(correlationId);
        reject(new TiergateError('SERVICE_UNAVAILABLE', `no answer on ${topic} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(correlationId, (reply) => {
        clearTimeout(timer);
        const problem = command && !isErrorReply(reply) ? payloadProblem(command.reply, reply) : undefined;
        if (problem) this.warnThrottled(`invalid reply on ${topic}: ${problem}`);
        resolve((problem ? ({ error: { code: 'INTERNAL', message: `the reply to ${command!.name} is invalid: ${problem}` } } satisfies ErrorReply) : reply) as T);
      });
      this.publish(topic, { replyTo: this.inbox, correlationId, payload }).catch((e) => {
        clearTimeout(timer);
        this.pending.delete(correlationId);
        reject(e);
      });
    });
  }

  /**
   * Answers requests sent with `request()` on `topic` (a filter may hold `+`). On a command's topic
   * (COMMANDS) the handler only ever sees a request that validates against its class (else the caller
   * gets a VALIDATION_FAILED ErrorReply naming the fields), so the handler may take the payload as that
   * class. A thrown error becomes an ErrorReply (`errorReplyOf`).
   */
  async serve<Req = unknown>(topic: string, handler: (payload: Req, meta: MessageMeta) => Promise<unknown>): Promise<() => Promise<void>> {
    return this.subscribe(topic, (received, message, meta) => {
      const m = message as { replyTo?: unknown; correlationId?: unknown; payload?: unknown };
      if (typeof m?.replyTo !== 'string' || typeof m.correlationId !== 'string' || !m.replyTo.startsWith(INBOX_PREFIX)) return;
      const replyTo = m.replyTo;
      const correlationId = m.correlationId;
      const command = commandOfTopic(received);
      const problem = command ? payloadProblem(command.request, m.payload) : undefined;
      Promise.resolve()
        .then(() => {
          if (problem) throw new TiergateError('VALIDATION_FAILED', `invalid ${command!.name} request: ${problem}`);
          return handler(m.payload as Req, meta);
        })
        .then((reply) => reply, errorReplyOf)
        .then((reply) => this.publish(replyTo, { correlationId, reply }))
        .catch((e) => this.logger.error(`reply on ${replyTo} failed: ${(e as Error).message}`));
    });
  }

  private readonly pending = new Map<string, (reply: unknown) => void>();
  private readonly inbox = `${INBOX_PREFIX}${randomUUID()}`;
  private inboxReady?: Promise<unknown>;

  private ensureInbox(): Promise<unknown> {
    return (this.inboxReady ??= this.subscribe(this.inbox, (_t, message) => {
      const m = message as { correlationId?: string; reply?: unknown };
      const done = m?.correlationId ? this.pending.get(m.correlationId) : undefined;
      if (!done) return;
      this.pending.delete(m.correlationId!);
      done(m.reply);
    }));
  }

  async close(): Promise<void> {
    for (const c of this.willClients.splice(0)) await c.endAsync().catch(() => undefined);
    await this.client.endAsync();
  }

  private encode(topic: string, payload: unknown): string {
    if (!matchesAny(SIGNED_TOPICS, topic)) return JSON.stringify(payload);
    return this.requireEnvelopes().sign(topic, payload, this.clientId);
  }

  private receive(topic: string, buf: Buffer, retained: boolean): void {
    const text = buf.toString('utf8');
    let payload: unknown;
    const meta: MessageMeta = { retained };
    if (matchesAny(SIGNED_TOPICS, topic) && !(text === '' && matchesAny(TOMBSTONE_TOPICS, topic))) {
      try {
        if (!this.envelopes) throw new EnvelopeRefused('unsigned');
        // a retained message is legitimately delivered again on every (re)subscription: no replay check
        const opened = this.envelopes.open(topic, text === '' ? undefined : JSON.parse(text), retained ? undefined : this.guard);
        payload = opened.body;
        meta.sender = opened.sender;
      } catch (e) {
        this.logRefusal(topic, e instanceof EnvelopeRefused ? e.reason : 'malformed');
        return;
      }
    } else {
      try {
        payload = JSON.parse(text || 'null');
      } catch {
        this.logger.warn(`ignored a non-JSON message on ${topic}`);
        return;
      }
    }
    // an empty message is a cleared retained one (a tombstone): it has no payload to validate
    const event = text === '' ? undefined : eventOfTopic(topic);
    const problem = event ? payloadProblem(event.payload, payload) : undefined;
    if (problem) return this.logRefusal(topic, `invalid ${event!.name}: ${problem}`);
    for (const h of this.handlers) {
      if (!topicMatches(h.filter, topic)) continue;
      try {
        h.handler(topic, payload, meta);
      } catch (e) {
        this.logger.error(`handler for ${h.filter} failed: ${(e as Error).message}`);
      }
    }
  }

  /** One warning per topic and reason every 10 s: a flood of forgeries must not flood the log. */
  private logRefusal(topic: string, reason: string): void {
    this.warnThrottled(`refused a message on ${topic}: ${reason} (not acted on)`);
  }

  /** Logs a warning at most once every 10 s per distinct text (an outage retries every second). */
  private warnThrottled(message: string): void {
    const now = Date.now();
    if ((this.refusalLogged.get(message) ?? 0) > now) return;
    if (this.refusalLogged.size > 1000) this.refusalLogged.clear();
    this.refusalLogged.set(message, now + 10_000);
    this.logger.warn(message);
  }

  private async republishRetained(): Promise<void> {
    if (this.retained.size === 0) return;
    let republished = 0;
    for (const [topic, { payload, qos }] of [...this.retained]) {
      await this.client
        .publishAsync(topic, this.encode(topic, payload), { retain: true, qos })
        .then(() => republished++)
        .catch((e) => this.logger.warn(`retained message on ${topic} not republished: ${(e as Error).message}`));
    }
    this.logger.log(`republished ${republished} retained message(s) after the broker connection came back`);
  }
}

/** Opens one MQTT connection; rejects clearly on a refused credential or when nothing answers in time. */
async function connectClient(url: string, options: IClientOptions, timeoutMs: number): Promise<MqttClient> {
  const client = connect(url, options);
  await new Promise<void>((resolve, reject) => {
    const fail = (message: string) => {
      clearTimeout(timer);
      client.removeListener('error', onError);
      client.end(true);
      reject(new Error(message));
    };
    const onError = (e: Error & { code?: unknown }) => {
      if (typeof e.code === 'number' && REFUSED_CREDENTIALS.has(e.code)) fail(`the MQTT broker at ${redactUrl(url)} refused the credential (set it in MQTT_URL as mqtt://user:password@host:port)`);
    };
    const timer = setTimeout(() => fail(`cannot reach the MQTT broker at ${redactUrl(url)} within ${timeoutMs} ms`), timeoutMs);
    client.on('error', onError);
    client.once('connect', () => {
      clearTimeout(timer);
      client.removeListener('error', onError);
      resolve();
    });
  });
  return client;
}
