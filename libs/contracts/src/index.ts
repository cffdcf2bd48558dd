export * from './topics';
export * from './topic-match';
export * from './messages';
export * from './sweep-state';
export * from './local-hls';
export * from './access-snapshot';
export * from './stream-key';
export * from './recording';
