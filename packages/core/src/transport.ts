// size: one request from preparation to a classified answer (timeout, body, redirect, envelope, Retry-After).
import { checkedCallOptions, type TransportConfig } from './config.js';
import { DatafastApiError, DatafastError, DatafastNetworkError, messageOf } from './errors.js';
import { redactText } from './redact-text.js';
import { isRetryableStatus, parseRetryAfter, retryDelay } from './retry.js';

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

/** A 2xx answer: the API's JSON object, and how many attempts it took. */
export interface Success {
  json: Record<string, unknown>;
  attempts: number;
}

/** One API request, built once (URL, headers, body, limits) and sent by each attempt alike. */
export interface PreparedRequest {
  config: TransportConfig;
  url: string;
  init: RequestInit;
  timeoutMs: number;
  maxRetries: number;
}

/**
 * How one attempt ended: the API's JSON object, or the error with the wait before the next
 * attempt (`retryInMs`, `undefined` when the policy allows no other: a refusal, or the last
 * retry spent). `retryAfterMs` is the server's `Retry-After` (capped at `maxRetryAfterMs`);
 * `rateLimited` marks a 429.
 */
export type AttemptResult =
  | { ok: true; json: Record<string, unknown> }
  | {
      ok: false;
      error: DatafastError;
      retryInMs: number | undefined;
      retryAfterMs: number | undefined;
      rateLimited: boolean;
    };

/**
 * Sends one API request through the retry policy: per-attempt timeout, exponential backoff with
 * full jitter, `Retry-After` honoured. Resolves the JSON object of a 2xx answer; rejects with a
 * {@link DatafastError} whose message and cause never hold the API key. Background delivery
 * runs the same attempts one at a time ({@link attemptRequest}), waiting between them outside
 * its concurrency window.
 */
export async function sendRequest(
  config: TransportConfig,
  method: 'POST' | 'DELETE',
  query: Record<string, string>,
  body: unknown,
  options: RequestOptions = {},
): Promise<Success> {
  let request: PreparedRequest;
  try {
    request = prepareRequest(config, method, query, body, options);
  } catch (error) {
    throw await redacted(error, config.apiKey);
  }
  for (let attempt = 1; ; attempt++) {
    const result = await attemptRequest(request, attempt, options.signal);
    if (result.ok) return { json: result.json, attempts: attempt };
    if (result.retryInMs === undefined) throw result.error;
    await sleep(result.retryInMs, options.signal);
  }
}

/** Builds a request for {@link attemptRequest}; throws a validation error for a bad call option. */
export function prepareRequest(
  config: TransportConfig,
  method: 'POST' | 'DELETE',
  query: Record<string, string>,
  body: unknown,
  options: Pick<RequestOptions, 'timeoutMs' | 'maxRetries'> = {},
): PreparedRequest {
  const { timeoutMs, maxRetries } = checkedCallOptions(options, config);
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
  return { config, url: endpointUrl(config, query), init, timeoutMs, maxRetries };
}

/**
 * Attempt number `attempt` (1-based) of a request; never rejects. Says whether and when the
 * policy allows another: network errors, timeouts, 408, 429 and 5xx, up to `maxRetries`.
 */
export async function attemptRequest(
  request: PreparedRequest,
  attempt: number,
  signal?: AbortSignal,
): Promise<AttemptResult> {
  const { config, maxRetries } = request;
  const failed = async (
    error: unknown,
    retryable: boolean,
    retryAfterMs?: number,
  ): Promise<AttemptResult> => ({
    ok: false,
    // Wherever the key got into the error (a runtime quoting a header, a fetch wrapper's error
    // carrying its request options, a proxy echoing it), it goes no further.
    error: (await redacted(error, config.apiKey)) as DatafastError,
    retryInMs:
      retryable && attempt <= maxRetries
        ? retryDelay(attempt - 1, config.retry, retryAfterMs)
        : undefined,
    retryAfterMs:
      retryAfterMs === undefined ? undefined : Math.min(retryAfterMs, config.retry.maxRetryAfterMs),
    rateLimited: error instanceof DatafastApiError && error.status === 429,
  });
  let answer: Answer;
  try {
    answer = await attemptOnce(
      config,
      request.url,
      request.init,
      request.timeoutMs,
      attempt,
      signal,
    );
  } catch (error) {
    return failed(error, error instanceof DatafastNetworkError);
  }
  const parsed = parseBody(answer.text, config.apiKey);
  if (answer.status >= 200 && answer.status < 300) {
    if (isJsonObject(parsed)) return { ok: true, json: parsed };
    // An HTML page or an empty 200 (a wrong baseUrl, a proxy's error page) records nothing.
    const error = new DatafastApiError(
      answer.status,
      `the answer is not the DataFast API's JSON (${describeBody(answer, parsed)}): check that baseUrl points at the API`,
      parsed,
      attempt,
      'unexpected_response',
    );
    return failed(error, false);
  }
  const error = new DatafastApiError(answer.status, errorMessage(answer, parsed), parsed, attempt);
  const retryAfter = parseRetryAfter(answer.headers.get('retry-after'));
  return failed(error, isRetryableStatus(answer.status), retryAfter);
}

/**
 * The error with the API key removed wherever it is (see redact.ts: the walk is loaded at the
 * first failure, which a reporting app that never fails never pays for). Should the walk fail
 * to load, nothing of the error is kept.
 */
async function redacted(error: unknown, apiKey: string): Promise<unknown> {
  try {
    return (await import('./redact.js')).redactDeep(error, apiKey);
  } catch {
    return new DatafastError(
      'unexpected_error',
      'a request to DataFast failed, and its error could not be checked for the API key',
    );
  }
}

function parseBody(text: string, apiKey: string): unknown {
  // Defence in depth: should a server or proxy echo the credential, it goes no further.
  const safe = redactText(text, apiKey);
  if (!safe) return undefined;
  try {
    return JSON.parse(safe);
  } catch {
    return safe.length > 500 ? `${safe.slice(0, 500)}…` : safe;
  }
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeBody(answer: Answer, parsed: unknown): string {
  if (parsed === undefined) return 'an empty body';
  const type = answer.headers.get('content-type')?.split(';')[0]?.trim();
  return type ? `a ${type} body` : 'a body that is not a JSON object';
}

function endpointUrl(config: TransportConfig, query: Record<string, string>): string {
  const url = new URL(config.endpoint);
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
  // Settles when the attempt is aborted, so that a `fetch` which ignores its signal cannot hold
  // the attempt past its timeout.
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), {
      once: true,
    });
  });
  aborted.catch(() => {});
  try {
    const response = await Promise.race([
      config.fetch(url, { ...init, signal: controller.signal }),
      aborted,
    ]);
    // The body is read under the same timeout: a server that sends headers and then stalls is
    // as stuck as one that sends nothing.
    const text = await Promise.race([response.text(), aborted]);
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
  return messageOf(error);
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
