import { RedisError, type RedisOperation, toRedisError } from './errors.js';

/**
 * The one command this package sends: run a Lua script with keys and arguments (Redis's `EVAL`).
 * Every operation is a script, so each is atomic on the server and one round trip. Upstash's
 * `Redis` client has exactly this method; node-redis 5 and ioredis clients are adapted inside the
 * package, so you pass any of them as they are.
 *
 * @example
 * const scripting: RedisScripting = { eval: (script, keys, args) => myClient.eval(script, keys, args) }
 */
export interface RedisScripting {
  eval(script: string, keys: string[], args: string[]): Promise<unknown>;
}

/** How long a command may go unanswered before it rejects, by default. */
const defaultTimeoutMs = 5_000;

/** The part of an ioredis `Redis` or `Cluster` that is used: `eval(script, numKeys, ...keysAndArgs)`. */
export interface IoredisClient {
  eval(script: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
  /** ioredis's generic command method: only its presence is read, to tell ioredis apart. */
  call: unknown;
}

/** The part of a node-redis 5 client or cluster that is used: `eval(script, { keys, arguments })`. */
export interface NodeRedisClient {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  /** node-redis's generic command method: only its presence is read, to tell node-redis apart. */
  sendCommand: unknown;
}

/** A client this package takes: node-redis 5, ioredis, Upstash's `Redis`, or your own {@link RedisScripting}. */
export type RedisClient = NodeRedisClient | IoredisClient | RedisScripting;

/** Runs one of this package's scripts for `operation`; what every module here calls. */
export type ScriptRunner = (
  operation: RedisOperation,
  script: string,
  keys: string[],
  args: string[],
) => Promise<unknown>;

/**
 * A {@link ScriptRunner} on `client`: ioredis (it has `call`) and node-redis (it has
 * `sendCommand`) differ only in how `eval` takes its keys; anything else must already take
 * `(script, keys, args)`. Every rejection becomes a {@link RedisError} without the client's
 * password or URL, and a command unanswered after `timeoutMs` rejects too (both drivers queue
 * commands while they reconnect, by default for as long as the server is away).
 */
export function scriptRunner(
  client: RedisClient,
  options: { timeoutMs?: number } = {},
): ScriptRunner {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  if (typeof client !== 'object' || client === null || typeof client.eval !== 'function') {
    throw new TypeError(
      'client must be a node-redis 5 or ioredis client, an Upstash Redis, or an object with eval(script, keys, args)',
    );
  }
  const secrets = secretsOf(client);
  let run: RedisScripting['eval'];
  if ('call' in client && typeof client.call === 'function') {
    const io = client as IoredisClient;
    run = (script, keys, args) => io.eval(script, keys.length, ...keys, ...args);
  } else if ('sendCommand' in client && typeof client.sendCommand === 'function') {
    const node = client as NodeRedisClient;
    run = (script, keys, args) => node.eval(script, { keys, arguments: args });
  } else {
    const own = client as RedisScripting;
    run = (script, keys, args) => own.eval(script, keys, args);
  }
  return async (operation, script, keys, args) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const message = `redis: ${operation} failed: no answer within ${timeoutMs} ms`;
        reject(new RedisError(operation, message, 'timeout'));
      }, timeoutMs);
    });
    try {
      return await Promise.race([run(script, keys, args), timedOut]);
    } catch (error) {
      throw toRedisError(error, operation, secrets);
    } finally {
      clearTimeout(timer);
    }
  };
}

/**
 * What the client was configured with that an error must never show: its password, username and
 * URL (node-redis keeps `options.url`, ioredis `options.password`). Read once, defensively: a
 * client of another shape simply has none.
 */
function secretsOf(client: object): string[] {
  try {
    const options = (client as { options?: Record<string, unknown> }).options;
    if (typeof options !== 'object' || options === null) return [];
    const found: string[] = [];
    for (const name of ['password', 'url']) {
      const value = options[name];
      if (typeof value === 'string' && value.length >= 4) found.push(value);
    }
    return found;
  } catch {
    return [];
  }
}
