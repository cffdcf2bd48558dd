import { INestApplication, Type, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, raw } from 'express';
import helmet from 'helmet';
import { TiergateError } from '@tiergate/domain';
import { docsContentSecurityPolicy, docsEnabled, helmetOptions, trustProxySetting } from './http-security';
import type { Infrastructure } from './infrastructure';
import { jsonBodyGuard } from './json-body.guard';
import { RedactingLogger } from './json-logger';

/** Largest import file accepted (CSV or GeoJSON). Larger bodies are refused with 413 before parsing. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

/** Routes whose raw body reaches the controller as bytes (Buffer), for the gateway's upload extractor. */
export const IMPORT_ROUTES = ['/api/cameras/import', '/api/incidents/import', '/api/jurisdictions/import', '/api/jurisdictions/population', '/api/stop-checks/import'];

export interface HttpAppOptions {
  /** Serve the OpenAPI document at /api/docs (when http.docs allows it). */
  openApi?: boolean;
}

/**
 * Creates a Nest application with Tiergate's HTTP conventions: JSON errors, validation that names the
 * field, raw CSV/GeoJSON bodies for imports, OpenAPI. Shutdown is the process runner's (process-runner.ts).
 */
export async function createApp(rootModule: Type<unknown>, infra: Infrastructure, options: HttpAppOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(rootModule, {
    logger: new RedactingLogger(infra.config.log.level),
    bodyParser: false,
  });
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxySetting(infra.config)); // X-Forwarded-* only from configured proxies
  // Security headers on every answer (console, API, HLS): strict CSP, no referrer, no framing (http-security.ts).
  app.use(helmet(helmetOptions(infra.config)));
  app.use('/api/docs', helmet(helmetOptions(infra.config, docsContentSecurityPolicy(infra.config))));
  // Import routes take whole files: a raw body of any type as bytes up to the import limit (multipart is
  // left to multer); the gateway's upload extractor checks its type, decodes UTF-8 and parses. 2 MB of JSON elsewhere.
  app.use(IMPORT_ROUTES, raw({ limit: MAX_IMPORT_BYTES, type: (req) => !/^multipart\//i.test(req.headers['content-type'] ?? '') }));
  app.use(json({ limit: '2mb', type: ['application/json', 'application/*+json'] }));
  app.use(jsonBodyGuard()); // 400 naming the field: NUL characters (Postgres refuses them), nesting deeper than 64
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => {
        const fields = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? { invalid: 'is invalid' }).join(', ')}`);
        return new TiergateError('VALIDATION_FAILED', fields.join('; '), { fields: errors.map((e) => e.property) });
      },
    }),
  );
  // No enableShutdownHooks(): the process runner owns SIGTERM/SIGINT and calls app.close() itself (two
  // handlers raced, and Nest's re-raises the signal: exit 143 instead of 0). app.close() runs the same hooks.
  if (options.openApi && docsEnabled(infra.config)) {
    const doc = new DocumentBuilder()
      .setTitle('Tiergate')
      .setDescription('Tiered video-surveillance gateway: jurisdictions, cameras, discovery, live video, incidents and hotspots.')
      .setVersion('1')
      .addBearerAuth()
      .build();
    SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, doc), { jsonDocumentUrl: 'api/docs/openapi.json' });
  }
  return app;
}
