import { Global, Module } from '@nestjs/common';
import { LOCAL_HLS_SERVER } from '@tiergate/contracts';
import { VodHost } from './recording/vod-host';
import { RecordingHost } from './recording/recording-host';
import { TranscoderHost } from './transcoder.host';

/** One RTSP→HLS worker. Run as many processes of it as the cameras being watched need. */
@Global()
@Module({
  providers: [TranscoderHost, VodHost, RecordingHost, { provide: LOCAL_HLS_SERVER, useExisting: TranscoderHost }],
  exports: [TranscoderHost, LOCAL_HLS_SERVER],
})
export class TranscoderModule {}
