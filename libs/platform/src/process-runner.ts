import { DynamicModule, INestApplication, Logger, Module, Type } from '@nestjs/common';
import { ConfigError, loadConfig, LoadConfigOptions, TiergateConfig } from '@tiergate/config';
import { redactUrl } from '@tiergate/domain';
import { createApp } from './http-app';
import { Infrastructure, startInfrastructure } from './infrastructure';
import { PlatformModule } from './platform.module';

export interface ProcessSpec {
  /** Process name, used in logs and MQTT client ids. */
  name: string;
  /** The app modules this process runs (one app, or all of them for `npm start`). */
  modules: (Type<unknown> | DynamicModule)[];
  /** Serve HTTP on the configured host and port (the gateway does). */
  http: boolean;
  /** Config defaults of this entry point (e.g. demo on for `npm start`). */
  configDefaults?: LoadConfigOptions['defaults'];
  /**
   * Runs once the process serves (e.g. the demo loader). Its failure is logged, not fatal; the cleanup it
   * returns runs first on shutdown.
   */
  afterStart?: (running: RunningProcess) => Promise<(() => Promise<void>) | void>;
}

export interface RunningProcess {
  app: INestApplication;
  infra: Infrastructure;
  url?: string;
  stop(): Promise<void>;
}

/** Builds the root module of a process: the platform plus its app modules. */
export function rootModuleOf(infra: Infrastructure, spec: ProcessSpec): Type<unknown> {
  @Module({ imports: [PlatformModule.forRoot(infra, spec.name), ...spec.modules] })
  class RootModule {}
  Object.defineProperty(RootModule, 'name', { value: `${spec.name.replace(/[^A-Za-z]/g, '')}RootModule` });
  return RootModule;
}

/** Starts a process on an already loaded configuration; used by the entry points and the tests. */
export async function startProcess(config: TiergateConfig, spec: ProcessSpec): Promise<RunningProcess> {
  const infra = await startInfrastructure(config, spec.name);
  let app: INestApplication | undefined;
  try {
    app = await createApp(rootModuleOf(infra, spec), infra, { openApi: spec.http, microservice: true });
    let url: string | undefined;
    if (spec.http) {
      await app.listen(config.http.port, config.http.host);
      const address = app.getHttpServer().address() as import('node:net').AddressInfo;
      url = `http://${config.http.host}:${address.port}`;
    } else {
      await app.init();
    }
    const started = app;
    let stopping: Promise<void> | undefined;
    return {
      app,
      infra,
      url,
      stop: () =>
        (stopping ??= (async () => {
          await started.close();
          await infra.close();
        })()),
    };
  } catch (e) {
    await app?.close().catch(() => undefined);
    await infra.close();
    throw e;
  }
}

/**
 * The entry point of every process: load and validate config, start, and stop cleanly on SIGINT/SIGTERM.
 * Start-up problems end in one clear line on stderr and exit code 1, never a stack trace.
 */
export async function runProcess(spec: ProcessSpec): Promise<void> {
  const logger = new Logger(spec.name);
  let running: RunningProcess;
  try {
    const config = loadConfig({ defaults: spec.configDefaults });
    running = await startProcess(config, spec);
  } catch (e) {
    const message = e instanceof ConfigError ? e.message : `cannot start ${spec.name}: ${redactUrl((e as Error)?.message ?? String(e))}`;
    process.stderr.write(`${message}\n`);
    process.exit(1);
  }
  if (running.url) logger.log(`Tiergate ${spec.name} listening on ${running.url} (console ${running.url}/, API docs ${running.url}/api/docs)`);
  else logger.log(`Tiergate ${spec.name} started`);
  let cleanup: (() => Promise<void>) | void = undefined;
  const afterStart = spec.afterStart?.(running).then(
    (c) => (cleanup = c),
    (e) => logger.error(redactUrl((e as Error)?.message ?? String(e))),
  );
  const shutdown = (signal: string) => {
    logger.log(`${signal}: shutting down`);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    void afterStart;
    // The process first (every ffmpeg reaped), then what afterStart started (the demo's cameras).
    running
      .stop()
      .then(() => cleanup?.())
      .then(
      () => process.exit(0),
      (e) => {
        process.stderr.write(`shutdown failed: ${(e as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}
