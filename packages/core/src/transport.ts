import { DatafastApiError, DatafastError, DatafastNetworkError } from './errors.js';
import { isRetryableStatus, parseRetryAfter, type RetryPolicy, retryDelay } from './retry.js';

/** Everything a request needs that does not change between requests. */
export interface TransportConfig {
  apiKey: string;
  /** Sent as `?websiteId=` (required with `dft_` account tokens). */
  websiteId: string | undefined;
  /** `https://datafa.st`, or a loopback URL in development. */
  baseUrl: string;
  fetch: typeof fetch;
  timeoutMs: number;
  retry: RetryPolicy;
  userAgent: string;
}

/** Per-call settings that override the client's. */
export interface RequestOptions {
  /** Abort the call (every attempt and the waits between them). */
  signal?: AbortSignal;
  /** Per-attempt timeout for this call. */
  timeoutMs?: number;
  /** Retries for this call. */
  maxRetries?: number;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * Sends one API request through the single retry loop: per-attempt timeout, exponential backoff
 * with full jitter, `Retry-After` honoured. Resolves the parsed JSON of a 2xx answer (or
 * `undefined` when it had none); rejects with a {@link DatafastError}.
 */
export async function sendRequest(
  config: TransportConfig,
  method: 'POST' | 'DELETE',
  query: Record<string, string>,
  body: unknown,
  options: RequestOptions = {},
): Promise<unknown> {
  const url = endpointUrl(config, query);
  const headers: Record<string, string> = {
    Authorization: `Bearer ${config.apiKey}`,
    Accept: 'application/json',
    'User-Agent': config.userAgent,
  };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const init: RequestInit = {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    // A redirected POST turns into a GET and loses the payment: report it instead of following.
    redirect: 'manual',
  };
  const timeoutMs = options.timeoutMs ?? config.timeoutMs;
  const maxRetries = options.maxRetries ?? config.retry.maxRetries;

  for (let attempt = 1; ; attempt++) {
    let answer: Answer;
    try {
      answer = await attemptOnce(config, url, init, timeoutMs, attempt, options.signal);
    } catch (error) {
      if (!(error instanceof DatafastNetworkError) || attempt > maxRetries) throw error;
      await sleep(retryDelay(attempt - 1, config.retry, undefined), options.signal);
      continue;
    }
    const parsed = parseBody(answer.text);
    if (answer.status >= 200 && answer.status < 300) return parsed;
    if (!isRetryableStatus(answer.status) || attempt > maxRetries) {
      throw new DatafastApiError(answer.status, errorMessage(answer, parsed), parsed, attempt);
    }
    const retryAfter = parseRetryAfter(answer.headers.get('retry-after'));
    await sleep(retryDelay(attempt - 1, config.retry, retryAfter), options.signal);
  }

  function parseBody(text: string): unknown {
    // Defence in depth: should a server or proxy echo the credential, it goes no further.
    const safe = text.split(config.apiKey).join('[redacted]');
    if (!safe) return undefined;
    try {
      return JSON.parse(safe);
    } catch {
      return safe.length > 500 ? `${safe.slice(0, 500)}…` : safe;
    }
  }
}

function endpointUrl(config: TransportConfig, query: Record<string, string>): string {
  const base = config.baseUrl.replace(/\/+$/, '');
  const url = new URL(`${base.endsWith('/api/v1') ? base : `${base}/api/v1`}/payments`);
  if (config.websiteId) url.searchParams.set('websiteId', config.websiteId);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return url.toString();
}

async function attemptOnce(
  config: TransportConfig,
  url: string,
  init: RequestInit,
  timeoutMs: number,
  attempt: number,
  signal: AbortSignal | undefined,
): Promise<Answer> {
  throwIfAborted(signal);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const forwardAbort = () => controller.abort();
  signal?.addEventListener('abort', forwardAbort, { once: true });
  try {
    const response = await config.fetch(url, { ...init, signal: controller.signal });
    // The body is read under the same timeout: a server that sends headers and then stalls is
    // as stuck as one that sends nothing.
    const text = await response.text();
    return { status: response.status, headers: response.headers, text };
  } catch (error) {
    throwIfAborted(signal);
    const origin = new URL(url).origin;
    if (timedOut) {
      throw new DatafastNetworkError(
        'timeout',
        `DataFast at ${origin} did not answer within ${timeoutMs} ms (attempt ${attempt})`,
        attempt,
        { cause: error },
      );
    }
    throw new DatafastNetworkError(
      'network_error',
      `could not reach DataFast at ${origin}: ${networkReason(error)} (attempt ${attempt})`,
      attempt,
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', forwardAbort);
  }
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } })?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

function errorMessage(answer: Answer, parsed: unknown): string {
  if (answer.status >= 300 && answer.status < 400) {
    const location = answer.headers.get('location');
    return `unexpected redirect${location ? ` to ${location}` : ''}: set baseUrl to the API's final address`;
  }
  const envelope = parsed as { error?: { message?: unknown }; message?: unknown } | undefined;
  if (typeof envelope?.error?.message === 'string') return envelope.error.message;
  if (typeof envelope?.message === 'string') return envelope.message;
  if (typeof parsed === 'string' && parsed) return parsed.slice(0, 200);
  return `HTTP ${answer.status}`;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new DatafastError('aborted', 'the request was aborted by its signal', {
      cause: signal.reason,
    });
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  throwIfAborted(signal);
  return new Promise((resolve, reject) => {
    const done = () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(
        new DatafastError('aborted', 'the request was aborted by its signal', {
          cause: signal?.reason,
        }),
      );
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
