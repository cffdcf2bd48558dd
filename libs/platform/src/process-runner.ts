import { DynamicModule, INestApplication, Logger, Module, Type } from '@nestjs/common';
import { ConfigError, loadConfig, LoadConfigOptions, TiergateConfig } from '@tiergate/config';
import { redactUrl } from '@tiergate/domain';
import { createApp } from './http-app';
import { GracefulShutdown } from './graceful-shutdown';
import { Infrastructure, startInfrastructure } from './infrastructure';
import type { StartInfrastructureOptions } from './startup-retry';
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
  @Module({ imports: [PlatformModule.forRoot(infra), ...spec.modules] })
  class RootModule {}
  Object.defineProperty(RootModule, 'name', { value: `${spec.name.replace(/[^A-Za-z]/g, '')}RootModule` });
  return RootModule;
}

/** Starts a process on an already loaded configuration; used by the entry points and the tests. */
export async function startProcess(config: TiergateConfig, spec: ProcessSpec, options: StartInfrastructureOptions = {}): Promise<RunningProcess> {
  const infra = await startInfrastructure(config, spec.name, options);
  let app: INestApplication | undefined;
  try {
    app = await createApp(rootModuleOf(infra, spec), infra, { openApi: spec.http });
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
 * The entry point of every process: load and validate config, start (retrying a database server or broker
 * that is not up yet), and own the process's end. One handler for SIGINT/SIGTERM (Nest's shutdown hooks are
 * off: they re-raise the signal and the process dies with 143): a graceful stop with a deadline, exit 0.
 * An uncaught exception or unhandled rejection is logged (redacted) and stops the process the same way,
 * with exit code 1. Start-up problems end in one clear line on stderr and exit code 1, never a stack trace.
 */
export async function runProcess(spec: ProcessSpec): Promise<void> {
  const logger = new Logger(spec.name);
  const say = (line: string) => void process.stderr.write(`${redactUrl(line)}\n`);
  let config: TiergateConfig;
  try {
    config = loadConfig({ defaults: spec.configDefaults });
  } catch (e) {
    say(e instanceof ConfigError ? e.message : `cannot start ${spec.name}: ${(e as Error)?.message ?? String(e)}`);
    process.exit(1);
  }
  const shutdown = new GracefulShutdown(config.lifecycle.stopTimeoutSeconds * 1000, {
    say,
    exit: (code) => {
      if (code === 0) logger.log(`Tiergate ${spec.name} stopped`);
      process.exit(code);
    },
  });
  const abortStart = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (!shutdown.stopping) logger.log(`${signal}: shutting down`);
    abortStart.abort(new Error(`start-up stopped by ${signal}`));
    shutdown.begin(signal, 0, { forceOnRepeat: true });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const onCrash = (what: string) => (error: unknown) => {
    logger.error(`${what}: ${redactUrl((error as Error)?.stack ?? String(error))}`);
    abortStart.abort(new Error(`start-up stopped by an ${what}`));
    shutdown.begin(what, 1);
  };
  process.on('uncaughtException', onCrash('uncaught exception'));
  process.on('unhandledRejection', onCrash('unhandled rejection'));

  const starting = (async () => {
    const running = await startProcess(config, spec, { signal: abortStart.signal, log: (line) => logger.warn(line) });
    // The process first (HTTP, sessions: every ffmpeg reaped), then its connections, then what afterStart started.
    shutdown.add({ name: 'the app (HTTP server, live sessions and their ffmpeg, sweeps, health rounds)', run: () => running.app.close() });
    shutdown.add({ name: 'the database and broker connections', run: () => running.infra.close() });
    return running;
  })();
  shutdown.whileStarting(starting);
  let running: RunningProcess;
  try {
    running = await starting;
  } catch (e) {
    if (shutdown.stopping) return; // asked to stop during start-up: the stop exits once start-up has settled
    say(e instanceof ConfigError ? e.message : `cannot start ${spec.name}: ${(e as Error)?.message ?? String(e)}`);
    process.exit(1);
  }
  if (running.url) logger.log(`Tiergate ${spec.name} listening on ${running.url} (console ${running.url}/, API docs ${running.url}/api/docs)`);
  else logger.log(`Tiergate ${spec.name} started`);
  if (spec.afterStart && !shutdown.stopping) {
    const afterStart = spec.afterStart(running).catch((e) => {
      logger.error(redactUrl((e as Error)?.message ?? String(e)));
      return undefined;
    });
    shutdown.add({ name: 'what start-up added (the demo camera fleet)', run: async () => (await afterStart)?.() });
  }
}
