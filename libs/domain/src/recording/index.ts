export * from './timeline';
export * from './vod-files';
export * from './recording-plan';
