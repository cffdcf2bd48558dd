import 'reflect-metadata';
import { runProcess } from '@tiergate/platform';
import { DiscoveryModule } from './discovery.module';

void runProcess({ name: 'discovery', modules: [DiscoveryModule], http: false });
