// A stand-in for a transcoder worker, run as its own process by mqtt-bus.int-spec.ts so that it can be
// killed with SIGKILL: it announces a retained heartbeat, holds its last will, says "ready" and waits.
import { Topics, WorkerHeartbeatMessage } from '@tiergate/contracts';
import { MqttBus } from '@tiergate/messaging';

async function main(): Promise<void> {
  const { MQTT_URL: url, SECRET_KEY: secretKey, WORKER_ID: workerId } = process.env;
  if (!url || !secretKey || !workerId) throw new Error('MQTT_URL, SECRET_KEY and WORKER_ID are required');
  const bus = await MqttBus.connect(url, `last-will-${workerId}`, { secretKey });
  const heartbeat: WorkerHeartbeatMessage = { workerId, baseUrl: 'http://127.0.55.9:9', capacity: 4, load: 0, sessions: [], at: new Date().toISOString() };
  await bus.publish(Topics.workerHeartbeat(workerId), heartbeat, { retain: true, qos: 1 });
  await bus.holdLastWill(Topics.workerHeartbeat(workerId));
  process.stdout.write('ready\n');
  setInterval(() => undefined, 60_000);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
});
