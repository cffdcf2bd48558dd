import { ConsoleLogger, LogLevel } from '@nestjs/common';
import { redactUrl } from '@tiergate/domain';

const LEVELS: Record<string, LogLevel[]> = {
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  info: ['fatal', 'error', 'warn', 'log'],
  warn: ['fatal', 'error', 'warn'],
  error: ['fatal', 'error'],
};

const QUIET_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestMicroservice']);

/** Nest's console logger with every line passed through the URL-credential redactor. */
export class RedactingLogger extends ConsoleLogger {
  constructor(level: string, json = process.stdout.isTTY !== true) {
    super('Tiergate', { logLevels: LEVELS[level] ?? LEVELS.info, json, colors: !json });
  }

  /** Nest's start-up chatter (every module and route) only at debug level. */
  override log(message: unknown, ...rest: unknown[]): void {
    const context = rest[rest.length - 1];
    if (!this.debugOn && typeof context === 'string' && QUIET_CONTEXTS.has(context)) return;
    super.log(message, ...(rest as [string]));
  }

  private get debugOn(): boolean {
    return this.isLevelEnabled('debug');
  }

  protected override formatMessage(...args: Parameters<ConsoleLogger['formatMessage']>): string {
    return redactUrl(super.formatMessage(...args));
  }

  protected override printMessages(messages: unknown[], context?: string, logLevel?: LogLevel, writeStreamType?: 'stdout' | 'stderr'): void {
    const clean = messages.map((m) => (typeof m === 'string' ? redactUrl(m) : m instanceof Error ? redactUrl(m.message) : m));
    super.printMessages(clean, context, logLevel, writeStreamType);
  }
}
