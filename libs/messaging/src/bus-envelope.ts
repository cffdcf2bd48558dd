import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { deriveKey, secretsEqual } from './broker-credentials';

/**
 * A signed bus message: the payload's JSON text, who sent it, when, a nonce, and an HMAC-SHA256 over all
 * of them and the topic it was published on (so it cannot be moved to another topic). Only processes that
 * hold the shared secret key can make one, so what a verified envelope says (the partitioner command's
 * actor, the worker in a heartbeat) comes from a Tiergate process, not from whoever reached the broker.
 */
export interface SignedEnvelope {
  tg: 1;
  sender: string;
  /** Milliseconds since the epoch at signing. */
  at: number;
  nonce: string;
  body: string;
  sig: string;
}

export type EnvelopeRefusal = 'unsigned' | 'malformed' | 'bad-signature' | 'stale' | 'replayed';

export class EnvelopeRefused extends Error {
  constructor(readonly reason: EnvelopeRefusal) {
    super(`message refused: ${reason}`);
  }
}

export interface OpenedEnvelope {
  sender: string;
  at: number;
  body: unknown;
}

/** Remembers the nonces seen within the freshness window so a captured message cannot be played again. */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(private readonly maxEntries = 100_000) {}

  /** False when the nonce was already seen; records it until `expiresAt` otherwise. */
  admit(nonce: string, expiresAt: number, now: number): boolean {
    if (this.seen.size >= this.maxEntries / 2) this.prune(now);
    if ((this.seen.get(nonce) ?? 0) > now) return false;
    // a flood of valid envelopes beyond the cap: forget the oldest rather than grow without bound
    if (this.seen.size >= this.maxEntries) this.seen.delete(this.seen.keys().next().value!);
    this.seen.set(nonce, expiresAt);
    return true;
  }

  private prune(now: number): void {
    for (const [nonce, until] of this.seen) if (until <= now) this.seen.delete(nonce);
  }
}

export interface BusEnvelopeOptions {
  /** How far a message's signing time may lie from the receiver's clock, either way. */
  freshnessMs?: number;
  now?: () => number;
}

const SEAL_AAD = Buffer.from('tiergate/v1 sealed bus field');

/**
 * Signs and verifies bus envelopes, and seals secrets that must cross the bus (a camera's source URL),
 * with keys derived from the shared secret key. Pure apart from the clock; no I/O.
 */
export class BusEnvelopes {
  readonly freshnessMs: number;
  private readonly signingKey: Buffer;
  private readonly sealingKey: Buffer;
  private readonly now: () => number;

  constructor(secretKey: string, options: BusEnvelopeOptions = {}) {
    this.signingKey = deriveKey(secretKey, 'bus signing');
    this.sealingKey = deriveKey(secretKey, 'bus sealing');
    this.freshnessMs = options.freshnessMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /** The envelope (as JSON text) for `payload` published on `topic` by `sender`. */
  sign(topic: string, payload: unknown, sender: string): string {
    const envelope = { tg: 1 as const, sender, at: this.now(), nonce: randomBytes(16).toString('base64url'), body: JSON.stringify(payload ?? null) };
    return JSON.stringify({ ...envelope, sig: this.mac(topic, envelope) });
  }

  /**
   * Verifies an envelope received on `topic` and returns its payload; throws EnvelopeRefused when it is
   * not an envelope, the signature is wrong, it is outside the freshness window, or (with a guard) its
   * nonce was seen before.
   */
  open(topic: string, message: unknown, guard?: ReplayGuard): OpenedEnvelope {
    if (!message || typeof message !== 'object' || (message as SignedEnvelope).tg !== 1) throw new EnvelopeRefused('unsigned');
    const e = message as SignedEnvelope;
    if (typeof e.sender !== 'string' || typeof e.nonce !== 'string' || typeof e.body !== 'string' || typeof e.sig !== 'string' || !Number.isSafeInteger(e.at)) {
      throw new EnvelopeRefused('malformed');
    }
    if (!secretsEqual(e.sig, this.mac(topic, e))) throw new EnvelopeRefused('bad-signature');
    const now = this.now();
    if (Math.abs(now - e.at) > this.freshnessMs) throw new EnvelopeRefused('stale');
    if (guard && !guard.admit(e.nonce, e.at + this.freshnessMs + 1, now)) throw new EnvelopeRefused('replayed');
    let body: unknown;
    try {
      body = JSON.parse(e.body);
    } catch {
      throw new EnvelopeRefused('malformed');
    }
    return { sender: e.sender, at: e.at, body };
  }

  /** Seals a secret (AES-256-GCM) so that only holders of the secret key can read it off the bus. */
  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.sealingKey, iv);
    cipher.setAAD(SEAL_AAD);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['s1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
  }

  /** Opens a sealed secret; throws when it was not sealed with this key or was altered. */
  unseal(sealed: string): string {
    const [v, iv, tag, data] = typeof sealed === 'string' ? sealed.split('.') : [];
    if (v !== 's1' || !iv || !tag || data === undefined) throw new Error('sealed value has an unknown format');
    const decipher = createDecipheriv('aes-256-gcm', this.sealingKey, Buffer.from(iv, 'base64url'), { authTagLength: 16 });
    decipher.setAAD(SEAL_AAD);
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }

  private mac(topic: string, e: Pick<SignedEnvelope, 'sender' | 'at' | 'nonce' | 'body'>): string {
    return createHmac('sha256', this.signingKey).update(JSON.stringify(['tiergate/v1', topic, e.sender, e.at, e.nonce, e.body])).digest('base64url');
  }
}
