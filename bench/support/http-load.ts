// A small keep-alive HTTP load generator, run as its own process so it does not share the server's
// event loop: node http-load.js <url> <concurrency> <seconds>  →  prints {requests, errors, seconds, rps, p50Ms, p99Ms}
import { Agent, get } from 'node:http';

const [url, concurrencyArg, secondsArg] = process.argv.slice(2);
const concurrency = Number(concurrencyArg ?? 32);
const seconds = Number(secondsArg ?? 5);
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const latencies: number[] = [];
let errors = 0;
const until = Date.now() + seconds * 1000;

function one(): Promise<void> {
  return new Promise((resolve) => {
    const t = process.hrtime.bigint();
    get(url, { agent }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => {
        if (res.statusCode === 200) latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
        else errors++;
        resolve();
      });
    }).on('error', () => {
      errors++;
      resolve();
    });
  });
}

async function loop(): Promise<void> {
  while (Date.now() < until) await one();
}

void Promise.all(Array.from({ length: concurrency }, loop)).then(() => {
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  process.stdout.write(JSON.stringify({ requests: latencies.length, errors, seconds, rps: latencies.length / seconds, p50Ms: q(0.5), p99Ms: q(0.99) }));
  agent.destroy();
});
