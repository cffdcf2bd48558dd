// Run only inside a fresh network namespace (see discovery.int-spec.ts): starts simulated cameras that
// answer WS-Discovery multicast on lo, sends one multicast probe with the discovery app's prober and
// prints the findings as JSON on stdout.
import 'reflect-metadata';
import { startCameraFleet } from '../../apps/camera-sim/src';
import { FindingSet, findingOfMatch } from '../../apps/discovery/src/sweep/finding.mapper';
import { multicastProbe } from '../../apps/discovery/src/sweep/multicast.prober';

async function main(): Promise<void> {
  const fleet = await startCameraFleet({ count: 2, firstAddress: '127.0.1.1', multicastInterface: '127.0.0.1', labelPerCamera: false });
  try {
    const found = new FindingSet();
    await multicastProbe({ interfaceAddress: '127.0.0.1', timeoutMs: 800, retries: 1 }, (a) => {
      for (const m of a.matches) {
        const f = findingOfMatch(m, a.host);
        if (f) found.add(f);
      }
    });
    process.stdout.write(`${JSON.stringify({ found: found.list(), expected: fleet.cameras.map((c) => ({ endpoint: c.endpointReference, host: c.host })) })}\n`);
  } finally {
    await fleet.stop();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
