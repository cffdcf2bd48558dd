import { createParamDecorator, ExecutionContext, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Request } from 'express';
import { memoryStorage } from 'multer';
import { MAX_IMPORT_BYTES } from '@tiergate/platform';
import type { UploadRequest } from './upload-extractor';

/** The import routes' multipart handling: one field `file`, held in memory, at most MAX_IMPORT_BYTES (413 past it). */
export const ImportFile = (): MethodDecorator & ClassDecorator =>
  UseInterceptors(FileInterceptor('file', { storage: memoryStorage(), limits: { fileSize: MAX_IMPORT_BYTES, files: 1 } }));

/** What extractUpload reads from an import request: the raw body (bytes), its media type, the multipart `file`. */
export const ImportUpload = createParamDecorator((_: unknown, ctx: ExecutionContext): UploadRequest => {
  const req = ctx.switchToHttp().getRequest<Request & { file?: UploadRequest['file'] }>();
  return { body: req.body, contentType: req.headers['content-type'], file: req.file };
});
