export * from './clock';
export * from './stream-session';
export * from './hls-output.store';
export * from './hls-http.server';
export * from './transcoder.metrics';
export * from './transcoder.worker';
export * from './transcoder.runtime';
