import { readEnv } from './config.js';

/**
 * Whether a request to a cron route (the one that calls `datafast.drain`) comes from the
 * scheduler: its `Authorization` header is `Bearer <secret>`, as Vercel Cron sends
 * `Bearer ${CRON_SECRET}`, compared in constant time. `false` when no secret is configured: an
 * unconfigured route refuses everyone rather than draining for anyone.
 *
 * @example
 * if (!isCronAuthorized(request)) return new Response('Unauthorized', { status: 401 })
 */
export function isCronAuthorized(
  source: Request | Headers | string | null | undefined,
  secret: string | undefined = readEnv().CRON_SECRET,
): boolean {
  if (!secret) return false;
  const header =
    typeof source === 'string' || source == null
      ? source
      : ('headers' in source ? source.headers : source).get('authorization');
  return constantTimeEqual(header ?? '', `Bearer ${secret}`);
}

/**
 * Compares two strings in time that depends only on their lengths, so that a caller cannot
 * learn the secret one character at a time from how long a refusal takes.
 */
function constantTimeEqual(given: string, expected: string): boolean {
  let difference = given.length ^ expected.length;
  for (let i = 0; i < expected.length; i++) {
    difference |= (given.charCodeAt(i) || 0) ^ expected.charCodeAt(i);
  }
  return difference === 0;
}
