// A lean keep-alive HTTP/1.1 load generator for bulk downloads, run as its own process so its CPU is not the
// servers': node raw-http-load.js <url> <connections> <seconds>  →  {requests, errors, bytes, seconds, rps}
// One GET at a time per connection on raw sockets; each answer's head is parsed for status and Content-Length
// only and the body is counted, never copied or decoded (the Node http client costs several times more per byte).
import { connect, type Socket } from 'node:net';

const [urlArg, connectionsArg, secondsArg] = process.argv.slice(2);
const url = new URL(urlArg!);
const connections = Number(connectionsArg ?? 32);
const seconds = Number(secondsArg ?? 10);
const request = Buffer.from(`GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: keep-alive\r\n\r\n`);
const HEAD_END = Buffer.from('\r\n\r\n');
let requests = 0;
let errors = 0;
let bytes = 0;
let started = 0;
let until = 0;

function run(): Promise<void> {
  return new Promise((resolve) => {
    const socket: Socket = connect(Number(url.port || 80), url.hostname);
    socket.setNoDelay(true);
    let head: Buffer | undefined = Buffer.alloc(0); // defined while reading a head
    let remaining = 0;
    let ok = false;
    const next = () => {
      if (Date.now() >= until) return void socket.end();
      head = Buffer.alloc(0);
      socket.write(request);
    };
    const onBody = (chunk: Buffer, from: number) => {
      const take = Math.min(remaining, chunk.length - from);
      remaining -= take;
      if (ok) bytes += take;
      if (remaining === 0) {
        if (ok) requests++;
        else errors++;
        if (from + take < chunk.length) errors++; // no pipelining: nothing may follow
        next();
      }
    };
    socket.on('connect', next);
    socket.on('data', (chunk: Buffer) => {
      if (head === undefined) return onBody(chunk, 0);
      const buf: Buffer = head.length ? Buffer.concat([head, chunk]) : chunk;
      const end = buf.indexOf(HEAD_END);
      if (end < 0) return void (head = buf);
      const text = buf.subarray(0, end).toString('latin1');
      ok = text.startsWith('HTTP/1.1 200');
      remaining = Number(/\r\ncontent-length:\s*(\d+)/i.exec(text)?.[1] ?? 0);
      head = undefined;
      if (remaining === 0) {
        if (ok) requests++;
        else errors++;
        return next();
      }
      onBody(buf, end + 4);
    });
    socket.on('error', () => errors++);
    socket.on('close', () => resolve());
  });
}

started = Date.now();
until = started + seconds * 1000;
void Promise.all(Array.from({ length: connections }, run)).then(() => {
  const elapsed = (Date.now() - started) / 1000;
  process.stdout.write(JSON.stringify({ requests, errors, bytes, seconds: elapsed, rps: requests / elapsed }));
});
