/**
 * What the Redis client rejected with, as our own error: the driver's message with any
 * credentials taken out (a `redis://user:password@host` URL, the client's configured password),
 * and no `cause`, so that the driver's error (which may hold its options or the failed command)
 * never reaches a log through `util.inspect` or `onError`.
 *
 * @example
 * catch (e) { if (e instanceof RedisOutboxError) log(e.message) } // "Redis: connect ECONNREFUSED 127.0.0.1:6379"
 */
export class RedisOutboxError extends Error {
  /** Stable, for matching: `'redis_error'`. */
  readonly code = 'redis_error' as const;

  constructor(message: string) {
    super(message);
    this.name = 'RedisOutboxError';
  }

  /** A `RedisOutboxError` saying what `error` says, with `secrets` and URL credentials removed. */
  static from(error: unknown, secrets: readonly string[] = []): RedisOutboxError {
    if (error instanceof RedisOutboxError) return error;
    let message: string;
    try {
      message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    } catch {
      message = 'unknown error';
    }
    return new RedisOutboxError(`Redis: ${redactCredentials(message, secrets)}`);
  }
}

/** `text` without URL credentials (`scheme://user:password@`) or any of `secrets`. */
export function redactCredentials(text: string, secrets: readonly string[] = []): string {
  let clean = text;
  for (const secret of secrets) if (secret) clean = clean.split(secret).join('[redacted]');
  return clean.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s@]*@/gi, '$1[redacted]@');
}
