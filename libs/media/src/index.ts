export * from './ffmpeg-binary.locator';
export * from './hls-args.builder';
export * from './stderr-ring';
export * from './ffmpeg-exit.classifier';
export * from './ffmpeg.process';
export * from './worker-placement';
