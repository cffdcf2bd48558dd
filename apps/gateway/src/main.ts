import 'reflect-metadata';
import { runProcess } from '@tiergate/platform';
import { GatewayModule } from './gateway.module';

void runProcess({ name: 'gateway', modules: [GatewayModule], http: true });
