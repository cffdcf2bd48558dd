import 'reflect-metadata';
import { runProcess } from '@tiergate/platform';
import { PartitionerModule } from './partitioner.module';

void runProcess({ name: 'partitioner', modules: [PartitionerModule], http: false });
