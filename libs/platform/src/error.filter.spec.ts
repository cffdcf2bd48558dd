import { ArgumentsHost, Logger } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { TiergateError } from '@tiergate/domain';
import { isConnectionError } from './connection-errors';
import { ErrorFilter, RETRY_AFTER_SECONDS } from './error.filter';

/** What pg, pg-pool and TypeORM throw when the server is down (captured from pg 8.23 / TypeORM 0.3.28 here). */
const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
const pgDatabaseError = (message: string, code: string) => Object.assign(new Error(message), { name: 'error', code, severity: 'FATAL' });
const OUTAGES: [string, unknown][] = [
  ['refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
  ['reset connection', withCode('read ECONNRESET', 'ECONNRESET')],
  ['server shut down (pg)', pgDatabaseError('terminating connection due to administrator command', '57P01')],
  ['server shut down (TypeORM)', new QueryFailedError('SELECT 1', [], pgDatabaseError('terminating connection due to administrator command', '57P01'))],
  ['socket closed under a query', new Error('Connection terminated unexpectedly')],
  ['pool exhausted', new Error('timeout exceeded when trying to connect')],
  ['server starting up', pgDatabaseError('the database system is starting up', '57P03')],
  ['too many connections', pgDatabaseError('sorry, too many clients already', '53300')],
  ['wrapped as a cause', new Error('cannot reach the database at postgres://db:5432/tiergate', { cause: withCode('connect ETIMEDOUT 10.0.0.5:5432', 'ETIMEDOUT') })],
  ['every address refused', Object.assign(new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED'), withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')]), { code: 'ECONNREFUSED' })],
];
const NOT_OUTAGES: [string, unknown][] = [
  ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
  ['a bad query', new QueryFailedError('SELEC 1', [], pgDatabaseError('syntax error at or near "SELEC"', '42601'))],
  ['a unique violation', new QueryFailedError('INSERT', [], pgDatabaseError('duplicate key value violates unique constraint', '23505'))],
  ['an aggregate with one real failure', new AggregateError([withCode('x', 'ECONNREFUSED'), new Error('boom')])],
  ['not an error', 'a string'],
];

function fakeHost() {
  const res = {
    statusCode: 0,
    body: undefined as unknown,
    headers: {} as Record<string, string>,
    headersSent: false,
    status(code: number) {
      this.statusCode = code;
      return this;
    },
    json(body: unknown) {
      this.body = body;
      return this;
    },
    setHeader(name: string, value: string) {
      this.headers[name.toLowerCase()] = value;
    },
    getHeader(name: string) {
      return this.headers[name.toLowerCase()];
    },
  };
  const req = { method: 'GET', path: '/api/cameras', headers: {} };
  const host = { getType: () => 'http', switchToHttp: () => ({ getResponse: () => res, getRequest: () => req }) } as unknown as ArgumentsHost;
  return { host, res };
}

describe('ErrorFilter: a backing service that is down', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn']));

  it.each(OUTAGES)('%s is 503 SERVICE_UNAVAILABLE with Retry-After', (_, error) => {
    const { host, res } = fakeHost();
    new ErrorFilter().catch(error, host);
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe(String(RETRY_AFTER_SECONDS));
    expect(res.body).toEqual({ code: 'SERVICE_UNAVAILABLE', message: expect.stringMatching(/cannot be reached; retry in a few seconds \(correlation id [0-9a-f-]{36}\)/) });
    expect(JSON.stringify(res.body)).not.toMatch(/5432|ECONN|terminat/);
  });

  it.each(NOT_OUTAGES)('%s is not an outage', (_, error) => expect(isConnectionError(error)).toBe(false));

  it('still answers a bug with 500 INTERNAL and no Retry-After', () => {
    const { host, res } = fakeHost();
    new ErrorFilter().catch(NOT_OUTAGES[0][1], host);
    expect(res.statusCode).toBe(500);
    expect(res.headers['retry-after']).toBeUndefined();
    expect((res.body as { code: string }).code).toBe('INTERNAL');
  });

  it('gives every 503 of the domain a Retry-After too', () => {
    const { host, res } = fakeHost();
    new ErrorFilter().catch(new TiergateError('NO_WORKER_AVAILABLE', 'no transcoder worker is available'), host);
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe(String(RETRY_AFTER_SECONDS));
  });
});
