import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { connect, MqttClient } from 'mqtt';
import { redactUrl, TiergateError } from '@tiergate/domain';

const INBOX_PREFIX = 'tiergate/v1/inbox/';

export type MessageHandler = (topic: string, payload: unknown) => void;

/** Whether an MQTT topic matches a subscription filter with `+` and `#` wildcards. */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/**
 * The one adapter around the MQTT client for publish/subscribe of JSON events. Request/reply between
 * apps goes through Nest's MQTT transport instead (see rpc.client.ts).
 */
export class MqttBus {
  private readonly logger = new Logger('MqttBus');
  private readonly handlers: { filter: string; handler: MessageHandler }[] = [];

  private constructor(private readonly client: MqttClient) {
    client.on('message', (topic, buf) => {
      let payload: unknown;
      try {
        payload = JSON.parse(buf.toString('utf8') || 'null');
      } catch {
        this.logger.warn(`ignored a non-JSON message on ${topic}`);
        return;
      }
      for (const h of this.handlers) {
        if (!topicMatches(h.filter, topic)) continue;
        try {
          h.handler(topic, payload);
        } catch (e) {
          this.logger.error(`handler for ${h.filter} failed: ${(e as Error).message}`);
        }
      }
    });
  }

  /** Connects, failing with one clear message when the broker cannot be reached in time. */
  static async connect(url: string, clientId: string, timeoutMs = 5000): Promise<MqttBus> {
    const client = connect(url, { clientId, reconnectPeriod: 1000, connectTimeout: timeoutMs, clean: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        client.end(true);
        reject(new Error(`cannot reach the MQTT broker at ${redactUrl(url)} within ${timeoutMs} ms`));
      }, timeoutMs);
      client.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    return new MqttBus(client);
  }

  get connected(): boolean {
    return this.client.connected;
  }

  async publish(topic: string, payload: unknown, options: { retain?: boolean; qos?: 0 | 1 } = {}): Promise<void> {
    await this.client.publishAsync(topic, JSON.stringify(payload), { retain: options.retain ?? false, qos: options.qos ?? 0 });
  }

  /** Removes the retained message of a topic (an empty retained publish, MQTT 3.1.1 §3.3.1.3). */
  async clearRetained(topic: string): Promise<void> {
    await this.client.publishAsync(topic, '', { retain: true, qos: 1 });
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
   * Request/reply addressed to one process (e.g. one transcoder worker, whose id is in the topic): Nest's
   * @MessagePattern needs static patterns, these do not. The reply comes back on a per-bus inbox topic.
   */
  async request<T>(topic: string, payload: unknown, timeoutMs: number): Promise<T> {
    await this.ensureInbox();
    const correlationId = randomUUID();
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(correlationId);
        reject(new TiergateError('SERVICE_UNAVAILABLE', `no answer on ${topic} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(correlationId, (reply) => {
        clearTimeout(timer);
        resolve(reply as T);
      });
      this.publish(topic, { replyTo: this.inbox, correlationId, payload }).catch((e) => {
        clearTimeout(timer);
        this.pending.delete(correlationId);
        reject(e);
      });
    });
  }

  /** Answers requests sent with `request()` on `topic`. A thrown error becomes an `{error}` reply. */
  async serve(topic: string, handler: (payload: unknown) => Promise<unknown>): Promise<() => Promise<void>> {
    return this.subscribe(topic, (_t, message) => {
      const m = message as { replyTo?: unknown; correlationId?: unknown; payload?: unknown };
      if (typeof m?.replyTo !== 'string' || typeof m.correlationId !== 'string' || !m.replyTo.startsWith(INBOX_PREFIX)) return;
      const replyTo = m.replyTo;
      const correlationId = m.correlationId;
      handler(m.payload)
        .then(
          (reply) => reply,
          (e) =>
            e instanceof TiergateError
              ? { error: { code: e.code, message: e.message, details: e.details } }
              : { error: { code: 'INTERNAL', message: 'internal error' } },
        )
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
    await this.client.endAsync();
  }
}
