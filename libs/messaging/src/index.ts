export * from './broker-credentials';
export * from './bus-envelope';
export * from './embedded-broker';
export * from './error-reply';
export * from './mqtt-bus';
export * from './messaging.module';
