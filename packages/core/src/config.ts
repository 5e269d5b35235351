import { checkedBaseUrl, paymentsEndpoint } from './base-url.js';
import { DatafastConfigError, DatafastValidationError, describeValue } from './errors.js';
import type { DatafastOptions } from './options.js';
import { defaultRetryPolicy, type RetryPolicy } from './retry-policy.js';

/** The client options that configuration reads. */
export type ConfigSource = Pick<
  DatafastOptions,
  | 'apiKey'
  | 'websiteId'
  | 'baseUrl'
  | 'allowHttp'
  | 'fetch'
  | 'timeoutMs'
  | 'maxRetries'
  | 'backoff'
  | 'maxQueueSize'
  | 'concurrency'
  | 'maxAgeMs'
  | 'outbox'
>;

/**
 * The client's defaults, in one place: `createDatafast`'s TSDoc and the README's option table
 * state these (a test holds the README to them). The retry policy's are in `retry-policy.ts`.
 */
export const clientDefaults = {
  baseUrl: 'https://datafa.st',
  timeoutMs: 10_000,
  maxQueueSize: 10_000,
  concurrency: 8,
  /** Without an outbox: holds a 10-minute outage. */
  maxAgeMs: 15 * 60_000,
  /** With a durable outbox: a weekend. */
  outboxMaxAgeMs: 3 * 24 * 60 * 60_000,
} as const;

/** Everything a request needs that does not change between requests. */
export interface TransportConfig {
  apiKey: string;
  /** Sent as `?websiteId=`: set only for `dft_` account tokens. */
  websiteId: string | undefined;
  /** The full `…/api/v1/payments` URL. */
  endpoint: string;
  fetch: typeof fetch;
  timeoutMs: number;
  retry: RetryPolicy;
  userAgent: string;
}

/** Every client option, validated once, with its default applied. */
export interface ClientConfig {
  /** What every request needs. */
  transport: TransportConfig;
  /** Background reports held in memory at most. */
  maxQueueSize: number;
  /** Background attempts in flight at once. */
  concurrency: number;
  /** How long a background report that keeps failing transiently is retried. */
  maxAgeMs: number;
}

// setTimeout fires at once for anything larger, so a bigger delay would silently mean "now".
const maxTimerMs = 2_147_483_647;

/** The environment variables core reads, `{}` where there is no `process` (edge runtimes). */
export function readEnv(): Record<string, string | undefined> {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  return env ?? {};
}

/** `'1'`, `'true'` and `'yes'` (any case) switch an environment flag on. */
export function envFlag(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes)$/i.test(value.trim());
}

/**
 * Validates every client option and the environment, once, into the configuration the client
 * runs with. Throws {@link DatafastConfigError} naming the option; never quotes the API key.
 */
export function resolveClientConfig(
  options: ConfigSource,
  warnOnce: (key: string, message: string) => void,
  userAgent: string,
): ClientConfig {
  const defaultMaxAge = options.outbox ? clientDefaults.outboxMaxAgeMs : clientDefaults.maxAgeMs;
  return {
    maxQueueSize: configNumber(
      'maxQueueSize',
      options.maxQueueSize,
      clientDefaults.maxQueueSize,
      1,
      10_000_000,
      true,
    ),
    concurrency: configNumber(
      'concurrency',
      options.concurrency,
      clientDefaults.concurrency,
      1,
      1000,
      true,
    ),
    maxAgeMs: configNumber('maxAgeMs', options.maxAgeMs, defaultMaxAge, 0, Number.MAX_SAFE_INTEGER),
    transport: resolveTransportConfig(options, warnOnce, userAgent),
  };
}

/** The options and the environment as what every request needs. */
function resolveTransportConfig(
  options: ConfigSource,
  warnOnce: (key: string, message: string) => void,
  userAgent: string,
): TransportConfig {
  const env = readEnv();
  const apiKey = checkedApiKey((options.apiKey ?? env.DATAFAST_API_KEY ?? '').trim());
  const accountToken = apiKey.startsWith('dft_');
  const websiteId = (options.websiteId ?? env.DATAFAST_WEBSITE_ID ?? '').trim() || undefined;
  if (accountToken && !websiteId) {
    throw new DatafastConfigError(
      'a dft_ account token needs a websiteId: pass createDatafast({ websiteId }) or set DATAFAST_WEBSITE_ID',
    );
  }
  if (!accountToken && websiteId) {
    // The API infers the website from a df_ key and refuses a websiteId beside it.
    warnOnce(
      'websiteId',
      `websiteId is set (${options.websiteId !== undefined ? 'option websiteId' : 'env DATAFAST_WEBSITE_ID'}) but the key is a website key, which names its website itself: websiteId is sent only with dft_ account tokens, so it is ignored. For the tracker tag's data-website-id use another variable (the examples use DATAFAST_SCRIPT_WEBSITE_ID)`,
    );
  }
  const allowHttp = options.allowHttp ?? envFlag(env.DATAFAST_ALLOW_HTTP);
  const baseUrl = checkedBaseUrl(
    (options.baseUrl ?? env.DATAFAST_BASE_URL ?? '').trim() || clientDefaults.baseUrl,
    allowHttp,
    warnOnce,
  );
  return {
    apiKey,
    websiteId: accountToken ? websiteId : undefined,
    endpoint: paymentsEndpoint(baseUrl),
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeoutMs: configNumber(
      'timeoutMs',
      options.timeoutMs,
      clientDefaults.timeoutMs,
      1,
      maxTimerMs,
    ),
    retry: retryPolicyOf(options, configNumber),
    userAgent,
  };
}

/** The retry policy of the client options (or of a call's options), each number checked. */
export function retryPolicyOf(
  options: Pick<ConfigSource, 'maxRetries' | 'backoff'>,
  check: NumberCheck,
): RetryPolicy {
  const backoff = options.backoff ?? {};
  return {
    maxRetries: check(
      'maxRetries',
      options.maxRetries,
      defaultRetryPolicy.maxRetries,
      0,
      100,
      true,
    ),
    initialDelayMs: check(
      'backoff.initialDelayMs',
      backoff.initialDelayMs,
      defaultRetryPolicy.initialDelayMs,
      0,
      maxTimerMs,
    ),
    maxDelayMs: check(
      'backoff.maxDelayMs',
      backoff.maxDelayMs,
      defaultRetryPolicy.maxDelayMs,
      0,
      maxTimerMs,
    ),
    maxRetryAfterMs: check(
      'backoff.maxRetryAfterMs',
      backoff.maxRetryAfterMs,
      defaultRetryPolicy.maxRetryAfterMs,
      0,
      maxTimerMs,
    ),
  };
}

type NumberCheck = (
  name: string,
  value: unknown,
  fallback: number,
  min: number,
  max: number,
  integer?: boolean,
) => number;

function numberProblem(
  value: unknown,
  min: number,
  max: number,
  integer: boolean,
): string | undefined {
  if (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= min &&
    value <= max &&
    (!integer || Number.isInteger(value))
  ) {
    return undefined;
  }
  return `must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max} (got ${describeValue(value)})`;
}

/** A client option: its default when absent, else a valid number or a config error. */
export const configNumber: NumberCheck = (name, value, fallback, min, max, integer = false) => {
  if (value === undefined) return fallback;
  const problem = numberProblem(value, min, max, integer);
  if (problem) throw new DatafastConfigError(`option ${name} ${problem}`);
  return value as number;
};

/** A per-call option: the same rules, reported as a validation error of that field. */
export const callNumber: NumberCheck = (name, value, fallback, min, max, integer = false) => {
  if (value === undefined) return fallback;
  const problem = numberProblem(value, min, max, integer);
  if (problem) throw new DatafastValidationError(name, `${name} ${problem}`);
  return value as number;
};

/** Per-call timeout and retries, checked like the client's. */
export function checkedCallOptions(
  options: { timeoutMs?: unknown; maxRetries?: unknown },
  config: TransportConfig,
): { timeoutMs: number; maxRetries: number } {
  return {
    timeoutMs: callNumber('timeoutMs', options.timeoutMs, config.timeoutMs, 1, maxTimerMs),
    maxRetries: callNumber('maxRetries', options.maxRetries, config.retry.maxRetries, 0, 100, true),
  };
}

function checkedApiKey(apiKey: string): string {
  if (!apiKey) {
    throw new DatafastConfigError(
      'missing DataFast API key: pass createDatafast({ apiKey }) or set DATAFAST_API_KEY',
    );
  }
  // A key pasted with a space, a line break or a NUL cannot travel in a header; the runtime's own
  // error would quote the whole header, key included. Say where the bad character is instead.
  for (let index = 0; index < apiKey.length; index++) {
    const code = apiKey.charCodeAt(index);
    if (code < 0x21 || code > 0x7e) {
      throw new DatafastConfigError(
        `the DataFast API key has a character an HTTP header cannot carry (${describeCharacter(code)} at position ${index + 1} of ${apiKey.length}): copy the key again from DataFast's website settings`,
      );
    }
  }
  return apiKey;
}

function describeCharacter(code: number): string {
  if (code === 0x20) return 'a space';
  if (code === 0x0a || code === 0x0d) return 'a line break';
  if (code < 0x20 || code === 0x7f) return `control character U+${hex(code)}`;
  return `non-ASCII character U+${hex(code)}`;
}

function hex(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, '0');
}
