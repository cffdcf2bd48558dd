export * from './embedded-broker';
export * from './mqtt-bus';
export * from './rpc.client';
export * from './messaging.module';
