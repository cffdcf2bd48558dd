/**
 * One error type for the whole system, with a closed set of codes. The HTTP status of each code is
 * declared in `ERROR_STATUS`; adding a code without a status does not compile.
 */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  /** Throttled (e.g. too many failed logins); `retryAfterSeconds` in the details becomes `Retry-After`. */
  | 'TOO_MANY_REQUESTS'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'INVALID_GEOMETRY'
  | 'UNKNOWN_PARENT'
  | 'TREE_CYCLE'
  /** An imported boundary does not lie within its parent's (or the importer's home) boundary. */
  | 'BOUNDARY_OUTSIDE_PARENT'
  | 'IMPORT_FAILED'
  | 'RANGE_TOO_LARGE'
  | 'UNSUPPORTED_URL'
  | 'CAMERA_UNREACHABLE'
  | 'CAMERA_UNAUTHORIZED'
  | 'CAMERA_PROTOCOL_ERROR'
  | 'STREAM_START_TIMEOUT'
  | 'NO_WORKER_AVAILABLE'
  | 'SERVICE_UNAVAILABLE'
  /** Tiergate's own transcoder cannot serve (its ffmpeg lacks a feature, or refused the arguments): never the camera's fault. */
  | 'TRANSCODER_MISCONFIGURED'
  | 'INTERNAL';

export const ERROR_STATUS: { readonly [C in ErrorCode]: number } = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  TOO_MANY_REQUESTS: 429,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INVALID_GEOMETRY: 400,
  UNKNOWN_PARENT: 400,
  TREE_CYCLE: 400,
  BOUNDARY_OUTSIDE_PARENT: 400,
  IMPORT_FAILED: 400,
  RANGE_TOO_LARGE: 400,
  UNSUPPORTED_URL: 400,
  CAMERA_UNREACHABLE: 502,
  CAMERA_UNAUTHORIZED: 502,
  CAMERA_PROTOCOL_ERROR: 502,
  STREAM_START_TIMEOUT: 504,
  NO_WORKER_AVAILABLE: 503,
  SERVICE_UNAVAILABLE: 503,
  TRANSCODER_MISCONFIGURED: 500,
  INTERNAL: 500,
};

export class TiergateError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TiergateError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toJSON(): { code: ErrorCode; message: string } & Record<string, unknown> {
    return { code: this.code, message: this.message, ...(this.details ?? {}) };
  }

  static isErrorCode(value: unknown): value is ErrorCode {
    return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_STATUS, value);
  }
}

export const notFound = (what: string): TiergateError => new TiergateError('NOT_FOUND', `${what} not found`);

/** Redacts `user:pass@` (and a bare `user@`) from anything URL-shaped, for logs and error messages. */
export function redactUrl(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, '$1***@');
}
