import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { ErrorCode, redactUrl, TiergateError } from '@tiergate/domain';
import { briefOf, isConnectionError } from './connection-errors';

/** Seconds a client is told to wait (Retry-After) when a backing service is down. */
export const RETRY_AFTER_SECONDS = 5;

const HTTP_CODES: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/**
 * The one place errors become HTTP answers: `{code, message}` with the status of the code. A database or
 * broker that cannot be reached is an outage: 503 SERVICE_UNAVAILABLE with `Retry-After`. Unknown throws
 * become a logged 500 that carries only a correlation id, never the internal message.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    if (res.headersSent) return;
    if (error instanceof TiergateError) {
      if (error.status === 503 && !res.getHeader('Retry-After')) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      if (error.status === 429 && typeof error.details?.retryAfterSeconds === 'number') res.setHeader('Retry-After', String(error.details.retryAfterSeconds));
      res.status(error.status).json(error.toJSON());
      return;
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const body = error.getResponse() as { message?: string | string[] } | string;
      const raw = typeof body === 'string' ? body : body.message;
      const message = Array.isArray(raw) ? raw.join('; ') : (raw ?? error.message);
      res.status(status).json({ code: HTTP_CODES[status] ?? (status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED'), message: redactUrl(String(message)) });
      return;
    }
    if (error instanceof QueryFailedError && (error as { code?: string }).code === '23505') {
      // A unique constraint caught what the service's own check could not (two requests at once).
      res.status(409).json({ code: 'CONFLICT', message: 'this already exists' });
      return;
    }
    const type = (error as { type?: string })?.type;
    if (type === 'entity.too.large') {
      res.status(413).json({ code: 'PAYLOAD_TOO_LARGE', message: 'request body is too large' });
      return;
    }
    if (type === 'entity.parse.failed') {
      res.status(400).json({ code: 'VALIDATION_FAILED', message: 'request body is not valid JSON' });
      return;
    }
    const correlationId = (req.headers['x-correlation-id'] as string) || randomUUID();
    if (isConnectionError(error)) {
      this.logger.warn(`${req.method} ${req.path}: a backing service is unavailable (${redactUrl(briefOf(error))}) [${correlationId}]`);
      res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      res.status(503).json({ code: 'SERVICE_UNAVAILABLE', message: `the database or message broker cannot be reached; retry in a few seconds (correlation id ${correlationId})` });
      return;
    }
    this.logger.error(`${req.method} ${req.path} failed [${correlationId}]: ${redactUrl((error as Error)?.stack ?? String(error))}`);
    res.status(500).json({ code: 'INTERNAL', message: `internal error (correlation id ${correlationId})` });
  }
}
