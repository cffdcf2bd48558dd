import { Module } from '@nestjs/common';
import { TranscoderHost } from './transcoder.host';

/** One RTSP→HLS worker. Run as many processes of it as the cameras being watched need. */
@Module({ providers: [TranscoderHost], exports: [TranscoderHost] })
export class TranscoderModule {}
