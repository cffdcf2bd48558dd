import { createServer, Server, Socket } from 'node:net';
import { request } from 'node:http';
import { AddressInfo } from 'node:net';
import { BoundedBuffer, ByteBudget, deadlineError, DeviceIoError, deviceAgent, deviceFaultOf, formatBytes, tooLarge } from './device-io';

describe('device-io limits (pure)', () => {
  it.each([
    [900, '900 bytes'],
    [1024, '1 KiB'],
    [1536, '1.5 KiB'],
    [64 * 1024, '64 KiB'],
    [1024 * 1024, '1 MiB'],
    [5 * 1024 * 1024, '5 MiB'],
    [1.5 * 1024 * 1024, '1.5 MiB'],
  ])('formats %d as %s', (n, words) => expect(formatBytes(n)).toBe(words));

  it('a byte budget holds exactly its limit and refuses the byte after', () => {
    const b = new ByteBudget(10);
    expect(b.take(4)).toBe(true);
    expect(b.take(6)).toBe(true);
    expect(b.take(1)).toBe(false);
    expect(b.received).toBe(11);
  });

  it('at the deadline, a device that sent something is too slow; one that sent nothing timed out', () => {
    const slow = deadlineError(3, 4000);
    expect(slow).toBeInstanceOf(DeviceIoError);
    expect(slow).toMatchObject({ fault: 'too-slow', code: 'EDEVICE_TOO_SLOW', message: 'answer too slow (3 bytes in 4 s, not complete)' });
    const silent = deadlineError(0, 4000);
    expect(silent).not.toBeInstanceOf(DeviceIoError);
    expect(silent).toMatchObject({ code: 'ETIMEDOUT', message: 'no answer within 4 s' });
  });

  it('finds the device fault behind wrapping errors, and none behind others', () => {
    const fault = tooLarge(1024 * 1024);
    expect(fault.message).toBe('answer too large (> 1 MiB)');
    const wrapped = new Error('outer', { cause: new Error('middle', { cause: fault }) });
    expect(deviceFaultOf(wrapped)).toBe(fault);
    expect(deviceFaultOf(new Error('plain'))).toBeUndefined();
    expect(deviceFaultOf(undefined)).toBeUndefined();
  });

  it('a bounded buffer keeps bytes in order across growth and consumption, never beyond its limit', () => {
    const b = new BoundedBuffer(10_000);
    let expected = '';
    for (let i = 0; i < 3000; i++) {
      const c = String.fromCharCode(97 + (i % 26));
      expect(b.append(Buffer.from(c))).toBe(true);
      expected += c;
      if (i % 1000 === 999) {
        b.consume(500);
        expected = expected.slice(500);
      }
    }
    expect(b.view().toString()).toBe(expected);
    expect(b.append(Buffer.alloc(10_000 - expected.length))).toBe(true);
    expect(b.append(Buffer.alloc(1))).toBe(false);
    expect(b.view().length).toBe(10_000);
  });

  it('a bounded buffer costs linear time for one-byte chunks', () => {
    const b = new BoundedBuffer(256 * 1024);
    const one = Buffer.from('x');
    const t = process.hrtime.bigint();
    for (let i = 0; i < 256 * 1024; i++) b.append(one);
    // Quadratic concatenation of 256 Ki one-byte chunks copies ~32 GiB; doubling copies ~512 KiB.
    expect(Number(process.hrtime.bigint() - t) / 1e6).toBeLessThan(2000);
  });
});

describe('deviceAgent (loopback)', () => {
  let server: Server;
  let port: number;
  const open = new Set<Socket>();
  let behaviour: (s: Socket) => void = () => undefined;

  beforeAll(async () => {
    server = createServer((s) => {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => undefined);
      s.once('data', () => behaviour(s));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    for (const s of open) s.destroy();
    await new Promise((r) => server.close(r));
  });

  const get = (maxBytes: number, deadlineMs: number) => {
    const agent = deviceAgent({ maxBytes, deadlineMs });
    return new Promise<{ status: number; bytes: number }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
      });
      req.on('error', reject);
      req.end();
    });
  };
  const closedOnServer = async () => {
    const until = Date.now() + 1000;
    while (open.size > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    return open.size;
  };

  it('lets an answer within the cap through', async () => {
    behaviour = (s) => s.end('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello');
    await expect(get(1024, 2000)).resolves.toEqual({ status: 200, bytes: 5 });
  });

  it('closes the socket past the cap with "answer too large"', async () => {
    behaviour = (s) => {
      s.write('HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n');
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const pump = () => {
        while (!s.destroyed && s.write(chunk));
        if (!s.destroyed) s.once('drain', pump);
      };
      pump();
    };
    await expect(get(256 * 1024, 5000)).rejects.toMatchObject({ code: 'EDEVICE_TOO_LARGE', message: 'answer too large (> 256 KiB)' });
    expect(await closedOnServer()).toBe(0);
  });

  it('closes a dripping socket at the deadline with "answer too slow", whatever the idle timeout', async () => {
    let timer: NodeJS.Timeout | undefined;
    behaviour = (s) => {
      s.write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n');
      timer = setInterval(() => !s.destroyed && s.write('a'), 50);
      s.on('close', () => clearInterval(timer));
    };
    const started = Date.now();
    await expect(get(1024 * 1024, 600)).rejects.toMatchObject({ code: 'EDEVICE_TOO_SLOW' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await closedOnServer()).toBe(0);
  });
});
