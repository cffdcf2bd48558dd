export * from './topics';
export * from './payloads';
export * from './local-hls';
export * from './access-snapshot';
export * from './stream-key';
