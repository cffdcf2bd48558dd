// One Tiergate process for bench/delivery.bench.ts: node delivery-server.js '<json>' with
// {"modules": ["gateway","transcoder"], "overrides": {...config keys}}. Prints "READY <url|->" once started,
// stops (every ffmpeg reaped) on SIGTERM.
import 'reflect-metadata';
import { loadConfig } from '@tiergate/config';
import { startProcess } from '@tiergate/platform';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { TranscoderModule } from '../../apps/transcoder/src/transcoder.module';

const MODULES = { gateway: GatewayModule, transcoder: TranscoderModule } as const;

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2]!) as { name: string; modules: (keyof typeof MODULES)[]; overrides: Record<string, unknown> };
  const config = loadConfig({ env: {}, overrides: spec.overrides });
  const running = await startProcess(config, { name: spec.name, modules: spec.modules.map((m) => MODULES[m]), http: spec.modules.includes('gateway') });
  process.stdout.write(`READY ${running.url ?? '-'}\n`);
  process.once('SIGTERM', () => void running.stop().then(() => process.exit(0), () => process.exit(1)));
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
