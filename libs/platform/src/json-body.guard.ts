import type { NextFunction, Request, Response } from 'express';
import { findJsonProblem, MAX_JSON_DEPTH, TiergateError } from '@tiergate/domain';

/**
 * Express middleware after the JSON parsers: a parsed body with a problem (see `findJsonProblem`) is refused
 * with 400 VALIDATION_FAILED naming the field, before validation or the database see it.
 */
export function jsonBodyGuard(maxDepth = MAX_JSON_DEPTH) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const body: unknown = req.body;
    if (body === null || typeof body !== 'object' || Buffer.isBuffer(body)) return next();
    const problem = findJsonProblem(body, maxDepth);
    if (!problem) return next();
    next(new TiergateError('VALIDATION_FAILED', `${problem.path}: ${problem.message}`, { fields: [problem.path] }));
  };
}
