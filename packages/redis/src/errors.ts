import { driverMessage, EngineError, isBranded } from '@datafast-checkout/core/engine';

/** What was being done when a {@link RedisError} happened. */
export type RedisOperation =
  | 'put'
  | 'claim'
  | 'renew'
  | 'delete'
  | 'list'
  | 'get'
  | 'set'
  | 'raise';

const brand = Symbol.for('@datafast-checkout/redis.error');

/**
 * A command of this package failed or went unanswered: the operation, a `code` when there is one
 * (Redis's error prefix such as `'OOM'` or `'NOSCRIPT'`, the driver's such as `'ECONNREFUSED'`,
 * `'timeout'` for a command unanswered within `timeoutMs`), and the driver's message with any
 * credentials taken out (a `redis://user:password@host` URL, the client's configured password).
 * The driver's own error is not attached as `cause`: it may hold the client's options or the
 * failed command, and would reach a log through `util.inspect` or `onError`.
 *
 * @example
 * if (isRedisError(e) && e.code === 'OOM') console.error('Redis is full: see maxmemory in the README')
 */
export class RedisError extends EngineError<RedisOperation> {
  /** Redis's error prefix (`'OOM'`, `'READONLY'`), the driver's code, or `'timeout'`. */
  declare readonly code: string | undefined;

  constructor(operation: RedisOperation, message: string, code?: string) {
    super(brand, operation, message, code);
    this.name = 'RedisError';
  }
}

/**
 * True for a {@link RedisError}, also across the ESM and CJS builds.
 *
 * @example
 * outbox.list().catch((e) => { if (isRedisError(e)) console.error(e.operation, e.code) })
 */
export function isRedisError(value: unknown): value is RedisError {
  return isBranded(value, brand);
}

/** `error` from the driver as a {@link RedisError}, with `secrets` and URL credentials removed. */
export function toRedisError(
  error: unknown,
  operation: RedisOperation,
  secrets: readonly string[],
): RedisError {
  if (isRedisError(error)) return error;
  const code = codeOf(error);
  // The driver's class names what failed where its message alone does not (`ClientClosedError`).
  const name = error instanceof Error ? `${error.name}: ` : '';
  const message = `${name}${driverMessage(error, secrets)}`;
  return new RedisError(operation, `redis: ${operation} failed: ${message}`, code);
}

/**
 * The driver's `code` (`ECONNREFUSED`), else the prefix Redis puts before an error reply
 * (`OOM command not allowed ...`, `READONLY You can't write ...`).
 */
function codeOf(error: unknown): string | undefined {
  try {
    const own = (error as { code?: unknown } | null)?.code;
    if (typeof own === 'string' && /^[A-Z_]+$/.test(own)) return own;
    const message = (error as { message?: unknown } | null)?.message;
    return typeof message === 'string' ? /^([A-Z]{2,})\b/.exec(message)?.[1] : undefined;
  } catch {
    return undefined;
  }
}
