export * from './broker-credentials';
export * from './bus-envelope';
export * from './embedded-broker';
export * from './mqtt-bus';
export * from './rpc.client';
export * from './messaging.module';
