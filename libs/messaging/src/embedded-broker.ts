import { createServer, Server } from 'node:net';

export interface EmbeddedBroker {
  url: string;
  close(): Promise<void>;
}

/** An in-process MQTT broker (aedes) on a loopback port, for the embedded default. */
export async function startEmbeddedBroker(port = 0, host = '127.0.0.1'): Promise<EmbeddedBroker> {
  const { Aedes } = (await import('aedes')) as any;
  const aedes = Aedes.createBroker ? await Aedes.createBroker() : new Aedes();
  const server: Server = createServer(aedes.handle);
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as import('node:net').AddressInfo;
  return {
    url: `mqtt://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        aedes.close(() => server.close(() => resolve()));
      }),
  };
}
