import type { FfmpegArgFeatures } from '@tiergate/media';

/** What probeFfmpeg derives for Debian 12's ffmpeg 5.1 (pinned from its real help output in libs/media's spec). */
export const FFMPEG_5_FEATURES: FfmpegArgFeatures = {
  rtspSocketTimeout: '-timeout',
  hlsFlags: new Set(['delete_segments', 'omit_endlist', 'temp_file', 'independent_segments', 'discont_start', 'program_date_time']),
  hlsStartNumberSources: new Set(['generic', 'epoch', 'epoch_us', 'datetime']),
  libx264: true,
};
