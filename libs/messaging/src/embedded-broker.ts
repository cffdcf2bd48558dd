import { createServer, Server, Socket } from 'node:net';
import { TOPIC_ROOT } from '@tiergate/contracts';
import { BrokerCredentials, secretsEqual } from './broker-credentials';
import { topicMatches } from './mqtt-bus';

export interface EmbeddedBroker {
  /** mqtt://user:password@host:port: the URL the processes connect with. Never log it unredacted. */
  url: string;
  close(): Promise<void>;
}

export interface EmbeddedBrokerOptions {
  /** The only credential accepted; anonymous clients and any other credential are refused. */
  credentials: BrokerCredentials;
  port?: number;
  host?: string;
  /** Topic filters a client may publish and subscribe to; default: everything under tiergate/v1. */
  allowedTopics?: readonly string[];
}

/** MQTT 3.1.1 CONNACK return code 4 / MQTT 5 reason 0x86: bad user name or password. */
const BAD_USERNAME_OR_PASSWORD = 4;

/** Whether a subscription filter stays inside the allowed filters (no `#` or `+` that would reach past them). */
export function filterAllowed(filter: string, allowed: readonly string[]): boolean {
  if (filter.startsWith('$')) return false;
  return allowed.some((a) => {
    const root = a.endsWith('/#') ? a.slice(0, -2) : undefined;
    if (root !== undefined) return filter === root || filter.startsWith(`${root}/`);
    return filter === a;
  });
}

/**
 * An in-process MQTT broker (aedes) on a loopback port, for the embedded default. It refuses anonymous
 * clients and every credential but the one given (compared in constant time), and lets clients publish
 * and subscribe only under tiergate/v1 (CONTRACT.md: the broker refuses anonymous clients).
 */
export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const { credentials, port = 0, host = '127.0.0.1', allowedTopics = [`${TOPIC_ROOT}/#`] } = options;
  if (!credentials?.username || !credentials.password) throw new Error('the embedded broker needs a user name and password');
  const { Aedes } = (await import('aedes')) as any;
  const aedes = await Aedes.createBroker({
    authenticate: (_client: unknown, username: string | undefined, password: Buffer | undefined, done: (e: Error | null, ok: boolean | null) => void) => {
      const userOk = secretsEqual(username, credentials.username);
      const passOk = secretsEqual(password, credentials.password);
      if (userOk && passOk) return done(null, true);
      done(Object.assign(new Error('bad user name or password'), { returnCode: BAD_USERNAME_OR_PASSWORD }), false);
    },
    authorizePublish: (_client: unknown, packet: { topic: string }, done: (e?: Error | null) => void) => {
      done(allowedTopics.some((f) => topicMatches(f, packet.topic)) ? null : new Error(`publish to ${packet.topic} not allowed`));
    },
    authorizeSubscribe: (_client: unknown, sub: { topic: string }, done: (e: Error | null, s?: unknown) => void) => {
      done(null, filterAllowed(sub.topic, allowedTopics) ? sub : null);
    },
  });
  const server: Server = createServer(aedes.handle);
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as import('node:net').AddressInfo;
  const auth = `${encodeURIComponent(credentials.username)}:${encodeURIComponent(credentials.password)}`;
  return {
    url: `mqtt://${auth}@${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        aedes.close(() => server.close(() => resolve()));
      }),
  };
}
