export * from './json-logger';
export * from './error.filter';
export * from './auth.decorators';
export * from './auth.guard';
export * from './infrastructure';
export * from './platform.module';
export * from './http-app';
export * from './process-runner';
