import 'reflect-metadata';
import { runProcess } from '@tiergate/platform';
import { GatewayModule } from '../../gateway/src/gateway.module';

// `npm start`: every app in one process on the embedded default, with the demo district.
void runProcess({
  name: 'tiergate',
  modules: [GatewayModule],
  http: true,
  configDefaults: { 'demo.enabled': true },
});
