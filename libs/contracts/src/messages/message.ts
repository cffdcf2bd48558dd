import 'reflect-metadata'; // class-transformer's @Type reads design metadata
import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';

/** A payload class: its decorators (class-validator) are the rule a message must meet at the boundary. */
export type PayloadClass<T = unknown> = new () => T;

/**
 * A request/reply command between processes: the topic filter it is served on, and the classes its
 * request and its (successful) reply are validated against. A failure travels as an `ErrorReply` instead.
 */
export interface CommandContract<Req = unknown, Rep = unknown> {
  readonly name: string;
  /** The topic, or for a command addressed to one process (a worker) the filter with `+` for its id. */
  readonly filter: string;
  readonly request: PayloadClass<Req>;
  readonly reply: PayloadClass<Rep>;
}

/** An event: the topic filter it is published on and the class every payload there is validated against. */
export interface EventContract<T = unknown> {
  readonly name: string;
  readonly filter: string;
  readonly payload: PayloadClass<T>;
}

export const defineCommand = <Req, Rep>(c: CommandContract<Req, Rep>): CommandContract<Req, Rep> => c;
export const defineEvent = <T>(e: EventContract<T>): EventContract<T> => e;

/**
 * Checks `value` against a payload class; undefined when it is valid, else one line naming every bad
 * field (`sweepId: must be a UUID; params.ports: …`). Fields the class does not declare are allowed
 * (a newer sender may add some); the value itself is not changed.
 */
export function payloadProblem(cls: PayloadClass, value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'the payload must be a JSON object';
  const errors = validateSync(plainToInstance(cls, value) as object, { forbidUnknownValues: false });
  if (errors.length === 0) return undefined;
  return flatten(errors).slice(0, 10).join('; ');
}

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = `${prefix}${e.property}`;
    const own = e.constraints ? [`${path}: ${Object.values(e.constraints).join(', ')}`] : [];
    return [...own, ...flatten(e.children ?? [], `${path}.`)];
  });
}
