import { startCameraFleet } from './fleet';
import { parseSimEnv } from './sim.config';

/** Standalone simulated camera fleet: `SIM_CAMERAS=10 node dist/apps/camera-sim/main.js`. */
async function main(): Promise<void> {
  const options = parseSimEnv(process.env);
  const fleet = await startCameraFleet(options);
  for (const c of fleet.cameras) {
    process.stdout.write(
      `${c.name}\t${c.onvifUrl}\t${c.mainRtspUrl}\t${c.subRtspUrl}\t${c.endpointReference}\tserial=${c.serial}\n`,
    );
  }
  process.stdout.write(`camera-sim: ${fleet.cameras.length} cameras up (user ${options.username ?? 'admin'})\n`);
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`camera-sim: ${signal}, stopping\n`);
    fleet.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`camera-sim failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
