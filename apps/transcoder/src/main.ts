import 'reflect-metadata';
import { runProcess } from '@tiergate/platform';
import { TranscoderModule } from './transcoder.module';

void runProcess({ name: 'transcoder', modules: [TranscoderModule], http: false });
