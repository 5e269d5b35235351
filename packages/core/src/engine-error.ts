import { messageOf } from './errors.js';

/**
 * What the storage engines' packages (`@datafast-checkout/postgres`, `@datafast-checkout/redis`)
 * share for their errors: the base class, and one way to turn a driver's error into text that is
 * safe to show. A driver's error may quote its connection string or configured password, so it
 * is never attached as `cause`: only its cleaned message travels on. Not part of core's main
 * entry, which reporting-only apps load: imported from `@datafast-checkout/core/engine`.
 */

const redactedMark = '[redacted]';

/**
 * A storage engine's command failed or went unanswered: what was being done (`operation`), and
 * the engine's or driver's `code` when there is one. Its message is built by the engine's package
 * from {@link driverMessage}, already free of credentials, so its `stack`, `util.inspect` and
 * `JSON.stringify` are too. Each package subclasses it under its own name (`PostgresError`,
 * `RedisError`) and `brand` (a `Symbol.for` key, so that {@link isBranded} recognises it across
 * the ESM and CJS builds, where `instanceof` fails).
 *
 * @example
 * class RedisError extends EngineError<RedisOperation> { constructor(...) { super(brand, operation, message, code) } }
 */
export class EngineError<Operation extends string = string> extends Error {
  /** The engine's code (a SQLSTATE, a Redis error prefix) or the driver's (`'ECONNREFUSED'`). */
  readonly code: string | undefined;
  /** What was being done: `'put'`, `'claim'`, ... */
  readonly operation: Operation;

  constructor(brand: symbol, operation: Operation, message: string, code?: string) {
    super(message);
    this.operation = operation;
    this.code = code;
    Object.defineProperty(this, brand, { value: true });
  }
}

/**
 * True when `value` carries `brand`: an {@link EngineError} of the package that owns it, also
 * from the other build (ESM or CJS) of that package.
 *
 * @example
 * export const isRedisError = (value: unknown): value is RedisError => isBranded(value, brand)
 */
export function isBranded(value: unknown, brand: symbol): boolean {
  return typeof value === 'object' && value !== null && brand in value;
}

/**
 * The message of a driver's `error` with every one of `secrets` (the client's configured
 * password) and anything shaped like a credential ({@link redactCredentials}) taken out; never
 * throws, whatever was thrown.
 *
 * @example
 * driverMessage(new Error('connect to redis://default:pw@cache:6379 failed'), []) // 'connect to redis://[redacted]@cache:6379 failed'
 */
export function driverMessage(error: unknown, secrets: readonly string[]): string {
  let message: string;
  try {
    message = messageOf(error) || (error instanceof Error ? error.name : '');
  } catch {
    message = '';
  }
  return redactCredentials(message || 'unknown error', secrets);
}

/**
 * `text` without any of `secrets`, a URL's user info (`postgres://[redacted]@host`,
 * `redis://[redacted]@host`) or a conninfo's password (`password=[redacted]`).
 *
 * @example
 * redactCredentials('host=db password=pw', []) // 'host=db password=[redacted]'
 */
export function redactCredentials(text: string, secrets: readonly string[] = []): string {
  let clean = text;
  for (const secret of secrets) if (secret) clean = clean.split(secret).join(redactedMark);
  return clean
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s@]*@/gi, `$1${redactedMark}@`)
    .replace(/(\bpassword\s*=\s*)('[^']*'|\S+)/gi, `$1${redactedMark}`);
}
