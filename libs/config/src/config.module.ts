import { DynamicModule, Global, Module } from '@nestjs/common';
import { TiergateConfig } from './config.schema';

export const TIERGATE_CONFIG = Symbol('TIERGATE_CONFIG');

/** Makes the one validated configuration object injectable as `@Inject(TIERGATE_CONFIG)`. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: TiergateConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: TIERGATE_CONFIG, useValue: config }], exports: [TIERGATE_CONFIG] };
  }
}
