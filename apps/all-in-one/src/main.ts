import 'reflect-metadata';
import { runProcess } from '@tiergate/platform';
import { DiscoveryModule } from '../../discovery/src/discovery.module';
import { GatewayModule } from '../../gateway/src/gateway.module';
import { PartitionerModule } from '../../partitioner/src/partitioner.module';
import { TranscoderModule } from '../../transcoder/src/transcoder.module';

// `npm start`: every app in one process on the embedded default, with the demo district.
void runProcess({
  name: 'tiergate',
  modules: [PartitionerModule, TranscoderModule, DiscoveryModule, GatewayModule],
  http: true,
  configDefaults: { 'demo.enabled': true },
});
