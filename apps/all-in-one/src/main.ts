import 'reflect-metadata';
import { runProcess } from '@tiergate/platform';
import { DiscoveryModule } from '../../discovery/src/discovery.module';
import { GatewayModule } from '../../gateway/src/gateway.module';
import { PartitionerModule } from '../../partitioner/src/partitioner.module';
import { TranscoderModule } from '../../transcoder/src/transcoder.module';
import { loadDemo } from './demo/demo.loader';

// `npm start`: every app in one process on the embedded default, with the demo district and cameras.
void runProcess({
  name: 'tiergate',
  modules: [PartitionerModule, DiscoveryModule, TranscoderModule, GatewayModule],
  http: true,
  configDefaults: { 'demo.enabled': true },
  afterStart: async (running) => (running.infra.config.demo.enabled ? loadDemo(running, running.infra.config.demo.cameras) : undefined),
});
