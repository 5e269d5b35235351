import { DatafastConfigError, DatafastError, describeValue, isDatafastError } from './errors.js';
import {
  buildDeleteQuery,
  buildPaymentBody,
  type DeleteFilter,
  type PaymentBody,
  type PaymentInput,
} from './payload.js';
import { DeliveryQueue, type FlushResult } from './queue.js';
import { defaultRetryPolicy } from './retry.js';
import { type RequestOptions, sendRequest, type TransportConfig } from './transport.js';
import { VERSION } from './version.js';
import { type CookieSource, getVisitorId, normalizeVisitorId } from './visitor.js';

/** Hands a promise to the platform so that the work outlives the response (Vercel, Workers). */
export type WaitUntil = (promise: Promise<unknown>) => void;

/** Where warnings and default error reports go. `console` unless you pass your own. */
export interface Logger {
  warn(message: string): void;
  error(message: string): void;
}

/** Options of {@link createDatafast}. Every one is optional. */
export interface DatafastOptions {
  /** A `df_` website key or a `dft_` account token. Default: env `DATAFAST_API_KEY`. */
  apiKey?: string;
  /** Required with a `dft_` token. Default: env `DATAFAST_WEBSITE_ID`. */
  websiteId?: string;
  /** Default: env `DATAFAST_BASE_URL`, else `https://datafa.st`. Must be HTTPS unless loopback. */
  baseUrl?: string;
  /** The `fetch` to use; default the global one, looked up at call time. */
  fetch?: typeof fetch;
  /** Per-attempt timeout. Default 10 000 ms. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 3. */
  maxRetries?: number;
  /** Backoff tuning: `initialDelayMs` (500), `maxDelayMs` (8 000), `maxRetryAfterMs` (60 000). */
  backoff?: { initialDelayMs?: number; maxDelayMs?: number; maxRetryAfterMs?: number };
  /**
   * Called for every background (`track`) failure, with the payment, after retries: bad input,
   * an API error, the network, a full queue. Default: logged with `logger.error`.
   */
  onError?: (error: DatafastError, payment?: PaymentInput) => void;
  /** `false` turns every call into a no-op (input is still validated), said once in the log. */
  enabled?: boolean;
  /** Background deliveries held at most (running or waiting); more are dropped to `onError`. Default 1000. */
  maxQueueSize?: number;
  /** Background deliveries in flight at once. Default 8. */
  concurrency?: number;
  /** Receives every background delivery, so serverless platforms keep it alive. */
  waitUntil?: WaitUntil;
  /** Default `console`. */
  logger?: Logger;
}

/** What `payments.create` resolves: the API's own answer. */
export interface CreatePaymentResult {
  message: string;
  transaction_id: string;
}

/** One entry of the `data` array that `payments.delete` resolves. */
export interface DeletePaymentResult {
  message: string;
  transaction_id?: string;
  datafast_visitor_id?: string;
  timeRange?: { start: string; end: string };
}

/** Options of `track`. */
export interface TrackOptions {
  /** Hand this delivery to the platform (overrides the client's `waitUntil`). */
  waitUntil?: WaitUntil;
}

/** A client bound to one visitor; what adapters put on `req.datafast` and friends. */
export interface BoundDatafast {
  /** The visitor these payments are attributed to, or `undefined` (unattributed). */
  readonly visitorId: string | undefined;
  /** {@link Datafast.track} with `datafast_visitor_id` filled in unless given. */
  track(input: PaymentInput, options?: TrackOptions): void;
  readonly payments: {
    /** {@link Datafast.payments.create} with `datafast_visitor_id` filled in unless given. */
    create(input: PaymentInput, options?: RequestOptions): Promise<CreatePaymentResult>;
  };
  /** {@link Datafast.flush} of the client this is bound from. */
  flush(timeoutMs?: number): Promise<FlushResult>;
}

/** The DataFast payments client. Create one per process with {@link createDatafast}. */
export interface Datafast {
  readonly payments: {
    /**
     * Validates and records a payment, retrying transient failures; resolves the API's answer
     * (a duplicate `transaction_id` is a success). Rejects with a `DatafastError`.
     *
     * @example
     * await datafast.payments.create({ amount: 29.99, currency: 'USD', transaction_id: 'pi_1' })
     */
    create(input: PaymentInput, options?: RequestOptions): Promise<CreatePaymentResult>;
    /**
     * Deletes payments by transaction, by visitor (optionally within `start`/`end`) or by range.
     *
     * @example
     * await datafast.payments.delete({ transaction_id: 'pi_1' })
     */
    delete(filter: DeleteFilter, options?: RequestOptions): Promise<DeletePaymentResult[]>;
  };
  /**
   * Reports a payment in the background: returns at once, never throws, never rejects. Failures
   * (after retries) reach `onError` with the payment. Settles in `flush`.
   *
   * @example
   * datafast.track({ amount: 29.99, currency: 'USD', transaction_id: order.id })
   */
  track(input: PaymentInput, options?: TrackOptions): void;
  /**
   * Resolves when every background delivery has settled, or after `timeoutMs` (never later).
   *
   * @example
   * process.on('SIGTERM', async () => { await datafast.flush(5000); process.exit(0) })
   */
  flush(timeoutMs?: number): Promise<FlushResult>;
  /**
   * A client bound to the visitor in a request's `datafast_visitor_id` cookie.
   *
   * @example
   * datafast.forRequest(request).track({ amount: 29.99, currency: 'USD', transaction_id: id })
   */
  forRequest(source: CookieSource, options?: TrackOptions): BoundDatafast;
  /** A client bound to a visitor id you already have (invalid ids mean unattributed). */
  forVisitor(visitorId: string | null | undefined, options?: TrackOptions): BoundDatafast;
  /** Background deliveries not yet settled. */
  readonly pending: number;
}

const defaultBaseUrl = 'https://datafa.st';
const logPrefix = '[datafast-checkout]';

/**
 * Creates a DataFast payments client. Options default to the environment (`DATAFAST_API_KEY`,
 * `DATAFAST_WEBSITE_ID`, `DATAFAST_BASE_URL`); configuration errors surface at the first call,
 * never at import.
 *
 * @example
 * const datafast = createDatafast()
 * datafast.track({ amount: 29.99, currency: 'USD', transaction_id: 'pi_123', datafast_visitor_id })
 */
export function createDatafast(options: DatafastOptions = {}): Datafast {
  const logger = options.logger ?? console;
  const enabled = options.enabled !== false;
  const queue = new DeliveryQueue(
    positiveInteger(options.maxQueueSize, 1000),
    positiveInteger(options.concurrency, 8),
  );
  let transport: TransportConfig | undefined;
  let saidDisabled = false;

  const warn = (message: string) => logger.warn(`${logPrefix} ${message}`);

  function noteDisabled(): void {
    if (saidDisabled) return;
    saidDisabled = true;
    logger.warn(`${logPrefix} disabled (enabled: false): payments are validated but not sent`);
  }

  // Resolved at the first call, so that a missing key never breaks an import and env set after
  // import (dotenv, test setup) is honoured. Cached once valid.
  function transportConfig(): TransportConfig {
    if (transport) return transport;
    const env = readEnv();
    const apiKey = (options.apiKey ?? env.DATAFAST_API_KEY ?? '').trim();
    if (!apiKey) {
      throw new DatafastConfigError(
        'missing DataFast API key: pass createDatafast({ apiKey }) or set DATAFAST_API_KEY',
      );
    }
    const websiteId = (options.websiteId ?? env.DATAFAST_WEBSITE_ID ?? '').trim() || undefined;
    if (apiKey.startsWith('dft_') && !websiteId) {
      throw new DatafastConfigError(
        'a dft_ account token needs a websiteId: pass createDatafast({ websiteId }) or set DATAFAST_WEBSITE_ID',
      );
    }
    const baseUrl = checkedBaseUrl(
      (options.baseUrl ?? env.DATAFAST_BASE_URL ?? '').trim() || defaultBaseUrl,
    );
    transport = {
      apiKey,
      websiteId,
      baseUrl,
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      timeoutMs: positiveInteger(options.timeoutMs, 10_000),
      retry: {
        maxRetries: nonNegativeInteger(options.maxRetries, defaultRetryPolicy.maxRetries),
        initialDelayMs: options.backoff?.initialDelayMs ?? defaultRetryPolicy.initialDelayMs,
        maxDelayMs: options.backoff?.maxDelayMs ?? defaultRetryPolicy.maxDelayMs,
        maxRetryAfterMs: options.backoff?.maxRetryAfterMs ?? defaultRetryPolicy.maxRetryAfterMs,
      },
      userAgent: `@datafast-checkout/core/${VERSION}`,
    };
    return transport;
  }

  function report(error: unknown, payment: PaymentInput | undefined): void {
    const failure = asDatafastError(error);
    try {
      if (options.onError) options.onError(failure, payment);
      else {
        const id = (payment as { transaction_id?: unknown } | undefined)?.transaction_id;
        logger.error(
          `${logPrefix} payment ${describeValue(id)} was not reported to DataFast: ${failure.message}`,
        );
      }
    } catch (thrown) {
      logger.error(
        `${logPrefix} onError threw: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
      );
    }
  }

  async function create(
    input: PaymentInput,
    requestOptions?: RequestOptions,
  ): Promise<CreatePaymentResult> {
    const body = buildPaymentBody(input, warn);
    if (!enabled) {
      noteDisabled();
      return {
        message: 'Not sent: DataFast reporting is disabled',
        transaction_id: body.transaction_id,
      };
    }
    const answer = (await sendRequest(transportConfig(), 'POST', {}, body, requestOptions)) as
      | Partial<CreatePaymentResult>
      | undefined;
    return {
      message: typeof answer?.message === 'string' ? answer.message : '',
      transaction_id:
        typeof answer?.transaction_id === 'string' ? answer.transaction_id : body.transaction_id,
    };
  }

  async function remove(
    filter: DeleteFilter,
    requestOptions?: RequestOptions,
  ): Promise<DeletePaymentResult[]> {
    const query = buildDeleteQuery(filter);
    if (!enabled) {
      noteDisabled();
      return [];
    }
    const answer = (await sendRequest(
      transportConfig(),
      'DELETE',
      query,
      undefined,
      requestOptions,
    )) as { data?: unknown } | undefined;
    return Array.isArray(answer?.data) ? (answer.data as DeletePaymentResult[]) : [];
  }

  function track(input: PaymentInput, trackOptions?: TrackOptions): void {
    let body: PaymentBody;
    let config: TransportConfig;
    try {
      body = buildPaymentBody(input, warn);
      if (!enabled) {
        noteDisabled();
        return;
      }
      config = transportConfig();
    } catch (error) {
      report(error, input);
      return;
    }
    const delivery = queue.push(() =>
      sendRequest(config, 'POST', {}, body).then(
        () => undefined,
        (error) => report(error, input),
      ),
    );
    if (!delivery) {
      report(
        new DatafastError(
          'queue_full',
          `background queue is full (${queue.pending} deliveries pending): payment ${body.transaction_id} was dropped`,
        ),
        input,
      );
      return;
    }
    const waitUntil = trackOptions?.waitUntil ?? options.waitUntil;
    if (waitUntil) {
      try {
        waitUntil(delivery);
      } catch (error) {
        // Outside a request scope some platforms throw; the queue still delivers.
        warn(
          `waitUntil refused the delivery (${error instanceof Error ? error.message : String(error)}); it continues in the background`,
        );
      }
    }
  }

  function forVisitor(
    visitorId: string | null | undefined,
    bindOptions?: TrackOptions,
  ): BoundDatafast {
    const boundId = normalizeVisitorId(visitorId);
    const withVisitor = (input: PaymentInput): PaymentInput =>
      boundId !== undefined &&
      typeof input === 'object' &&
      input !== null &&
      input.datafast_visitor_id === undefined
        ? { ...input, datafast_visitor_id: boundId }
        : input;
    return {
      visitorId: boundId,
      track: (input, trackOptions) =>
        track(withVisitor(input), { waitUntil: trackOptions?.waitUntil ?? bindOptions?.waitUntil }),
      payments: { create: (input, requestOptions) => create(withVisitor(input), requestOptions) },
      flush: (timeoutMs) => queue.flush(timeoutMs),
    };
  }

  const client: Datafast = {
    payments: { create, delete: remove },
    track,
    flush: (timeoutMs) => queue.flush(timeoutMs),
    forRequest: (source, bindOptions) => forVisitor(getVisitorId(source), bindOptions),
    forVisitor,
    get pending() {
      return queue.pending;
    },
  };
  Object.defineProperty(client, clientBrand, { value: true });
  return client;
}

const clientBrand = Symbol.for('@datafast-checkout/core.client');

/**
 * What every adapter takes: `createDatafast` options, or a client you already made.
 *
 * @example
 * app.use(datafast({ onError: report })) // or datafast(existingClient)
 */
export type DatafastClientOrOptions = Datafast | DatafastOptions;

/** True for a client made by `createDatafast` (from any copy of this package). */
export function isDatafast(value: unknown): value is Datafast {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[clientBrand] === true
  );
}

// One client per options object: adapters resolve options per route or per call, and a client
// (with its queue) per request would defeat the queue's bound. Weak, so discarded options go too.
const clientsByOptions = new WeakMap<DatafastOptions, Datafast>();
let defaultClient: Datafast | undefined;

/**
 * The client for what an adapter was given: the client itself, or the one client made for that
 * options object (and one shared default client when given nothing).
 *
 * @example
 * resolveDatafast(options) === resolveDatafast(options) // true: made once
 */
export function resolveDatafast(source?: DatafastClientOrOptions): Datafast {
  if (source === undefined) {
    defaultClient ??= createDatafast();
    return defaultClient;
  }
  if (isDatafast(source)) return source;
  let client = clientsByOptions.get(source);
  if (!client) {
    client = createDatafast(source);
    clientsByOptions.set(source, client);
  }
  return client;
}

function readEnv(): Record<string, string | undefined> {
  // `process` is guarded: it does not exist on every runtime this package supports.
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  return env ?? {};
}

function checkedBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DatafastConfigError(`baseUrl ${describeValue(raw)} is not a valid URL`);
  }
  if (url.protocol === 'https:') return raw;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return raw;
  throw new DatafastConfigError(
    `baseUrl must use https (http is allowed only for localhost and loopback addresses): got ${url.protocol}//${url.host}`,
  );
}

function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === '[::1]' ||
    /^127(\.\d{1,3}){3}$/.test(hostname)
  );
}

function asDatafastError(error: unknown): DatafastError {
  if (isDatafastError(error)) return error;
  return new DatafastError(
    'unexpected_error',
    error instanceof Error ? error.message : String(error),
    {
      cause: error,
    },
  );
}

function positiveInteger(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value >= 1 ? Math.floor(value) : fallback;
}

function nonNegativeInteger(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value >= 0 ? Math.floor(value) : fallback;
}
