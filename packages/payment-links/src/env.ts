/**
 * The first of `names` that is set (and not blank) in the environment. Guarded: there is no
 * `process` on every runtime this package supports, and a secret set after the handler was made
 * (dotenv loading late) is still found because callers read it per request.
 *
 * @example
 * readEnv('PADDLE_NOTIFICATION_WEBHOOK_SECRET', 'PADDLE_WEBHOOK_SECRET')
 */
export function readEnv(...names: string[]): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  for (const name of names) {
    const value = env?.[name]?.trim();
    if (value) return value;
  }
  return undefined;
}
