import {
  DatafastApiError,
  type DatafastClientOrOptions,
  type DatafastError,
  isDatafastError,
  type PaymentInput,
  resolveDatafast,
} from '@datafast-checkout/core';
import { parsedBodyOf } from './express.js';
import { type Json, record } from './fields.js';
import { BoundedMap } from './memory.js';

/**
 * Total time a webhook handler spends on one event (verification, lookups, delivery with its
 * retries) before it answers 5xx. Stripe does not publish its delivery timeout (reported between
 * 15 and 30 s) and other providers wait 15 s or more: 10 s stays below all of them, so the
 * provider always sees our answer rather than its own timeout.
 */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
// One attempt may not eat the whole budget: a hung connection still leaves room for a retry.
const attemptTimeoutMs = 4_000;

/** A signature that does not verify: answered 400, nothing reported. */
export class WebhookSignatureError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WebhookSignatureError';
  }
}

/** A verified body that is not the JSON object the provider documents: answered 400. */
export class WebhookPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookPayloadError';
  }
}

/** The handler cannot work as configured (no secret, provider SDK missing): answered 503. */
export class WebhookConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookConfigError';
  }
}

/** What a provider made of one verified event. */
export type WebhookOutcome =
  | {
      payments: PaymentInput[];
      /**
       * Reports to take back from DataFast once the payments are in, by `transaction_id` (a
       * chargeback the provider reversed). One DataFast never had is already gone.
       */
      withdraw?: string[];
      /** Runs once every payment is with DataFast (e.g. to remember a refund total). */
      onDelivered?: () => void | Promise<void>;
    }
  /** Not a payment event (or not yet paid): answered 200 with the reason. */
  | { ignored: string };

/** The time left for one event; lookups and deliveries share it. */
export interface Deadline {
  /** Milliseconds left, never below 1. */
  remaining(): number;
  /** Rejects with a timeout once the budget is spent. */
  bound<T>(work: Promise<T>, what: string): Promise<T>;
}

/** What each provider plugs into {@link createWebhookHandler}. */
export interface WebhookProvider<Event> {
  /** Shown in messages: `Stripe`. */
  name: string;
  /** The signing secret, or `undefined` when it is not configured (read per request: env may load late). */
  secret(): string | undefined;
  /** Where the secret is read from when not passed, for the "not configured" message. */
  secretEnv: string;
  /** Verifies the raw body; throws {@link WebhookSignatureError} for a bad signature. */
  verify(body: string, request: Request, secret: string): Promise<Event>;
  /** The payments (already attributed) that one verified event reports. */
  payments(event: Event, deadline: Deadline): Promise<WebhookOutcome>;
}

/** Options every provider's webhook takes. */
export interface WebhookOptions {
  /** A DataFast client or `createDatafast` options. Default: the shared client from the environment. */
  datafast?: DatafastClientOrOptions;
  /** Total time per event before answering 5xx. Default {@link DEFAULT_WEBHOOK_TIMEOUT_MS}. */
  timeoutMs?: number;
  /**
   * Every event we could not report, with the payment when there is one. The provider gets a
   * 5xx and redelivers, so this is a warning, not yet a loss. Default: `console.error`.
   */
  onError?: (error: Error, payment?: PaymentInput) => void;
}

/**
 * The part of a signed-webhook handler that every provider shares: POST only, the raw body
 * (refusing one that a body parser already consumed, with the fix in the message), signature
 * verification by the provider, delivery to DataFast awaited within one time bound, and the
 * answers: 400 for a bad signature, 200 for events that report nothing, 5xx (so the provider
 * redelivers) when the delivery finally fails or the handler is misconfigured.
 *
 * @example
 * export const POST = createWebhookHandler(stripeProvider(options), options)
 */
export function createWebhookHandler<Event>(
  provider: WebhookProvider<Event>,
  options: WebhookOptions = {},
): (request: Request) => Promise<Response> {
  const client = resolveDatafast(options.datafast);
  const timeoutMs = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  const onError = options.onError ?? logWebhookError(provider.name);
  // Ids this handler has delivered: a redelivery is answered without calling DataFast again.
  // Only a shortcut; DataFast's own deduplication on transaction_id is what guarantees once.
  const delivered = new BoundedMap<string, true>(1000);

  return async (request) => {
    if (request.method !== 'POST') {
      return answer(
        405,
        { code: 'method_not_allowed', message: `${provider.name} webhooks are POSTed` },
        { allow: 'POST' },
      );
    }
    const parsedBy = parsedBodyOf(request);
    if (parsedBy !== undefined || request.bodyUsed) {
      const error = new WebhookConfigError(parsedBodyMessage(provider.name, parsedBy));
      onError(error);
      // 500, not 400: once the route is fixed, the provider's redelivery still reports the event.
      return answer(500, { code: 'body_parsed', message: error.message });
    }
    const secret = provider.secret()?.trim();
    if (!secret) {
      const error = new WebhookConfigError(
        `${provider.name} webhook is not configured: set ${provider.secretEnv} or pass { secret }`,
      );
      onError(error);
      return answer(503, { code: 'not_configured', message: error.message });
    }

    const started = Date.now();
    const deadline = makeDeadline(started + timeoutMs, timeoutMs);
    const body = await request.text();
    let event: Event;
    try {
      event = await deadline.bound(provider.verify(body, request, secret), 'signature check');
    } catch (error) {
      if (error instanceof WebhookPayloadError) {
        return answer(400, { code: 'invalid_payload', message: error.message });
      }
      if (error instanceof WebhookSignatureError) {
        const hint = looksReserialised(body)
          ? ' The body looks re-serialised (compact JSON): verify the raw bytes the provider sent, not JSON.stringify of a parsed body.'
          : '';
        return answer(400, { code: 'invalid_signature', message: `${error.message}${hint}` });
      }
      return failure(error, 500, 'handler_error');
    }

    let outcome: WebhookOutcome;
    try {
      outcome = await provider.payments(event, deadline);
    } catch (error) {
      return failure(error, 500, 'handler_error');
    }
    if ('ignored' in outcome) return answer(200, { received: true, ignored: outcome.ignored });

    const pending = outcome.payments.filter((payment) => !delivered.has(payment.transaction_id));
    const results = await Promise.allSettled(
      pending.map((payment) =>
        client.payments.create(payment, {
          signal: AbortSignal.timeout(deadline.remaining()),
          timeoutMs: Math.min(attemptTimeoutMs, deadline.remaining()),
        }),
      ),
    );
    let firstFailure: unknown;
    results.forEach((result, index) => {
      const payment = pending[index] as PaymentInput;
      if (result.status === 'fulfilled') delivered.set(payment.transaction_id, true);
      else {
        firstFailure ??= result.reason;
        onError(asError(result.reason), payment);
      }
    });
    if (firstFailure === undefined) {
      firstFailure = await withdraw(outcome.withdraw ?? [], deadline);
    }
    if (firstFailure !== undefined) {
      const message = `not reported to DataFast within ${timeoutMs} ms: ${asError(firstFailure).message}`;
      return answer(isDatafastError(firstFailure) ? 502 : 500, {
        code: 'delivery_failed',
        message,
      });
    }
    try {
      await outcome.onDelivered?.();
    } catch (error) {
      return failure(error, 500, 'handler_error');
    }
    return answer(200, {
      received: true,
      reported: outcome.payments.map((payment) => payment.transaction_id),
      ...(outcome.withdraw?.length ? { withdrawn: outcome.withdraw } : {}),
    });
  };

  // Deletes each report; a 404 means DataFast does not have it (never reported, or deleted by
  // an earlier delivery of this event). Resolves the first failure, if any.
  async function withdraw(ids: string[], deadline: Deadline): Promise<unknown> {
    for (const id of ids) {
      try {
        await client.payments.delete(
          { transaction_id: id },
          {
            signal: AbortSignal.timeout(deadline.remaining()),
            timeoutMs: Math.min(attemptTimeoutMs, deadline.remaining()),
          },
        );
      } catch (error) {
        if (!(error instanceof DatafastApiError && error.status === 404)) {
          onError(asError(error));
          return error;
        }
      }
      delivered.delete(id);
    }
    return undefined;
  }

  function failure(error: unknown, status: number, code: string): Response {
    const failed = asError(error);
    onError(failed);
    const notConfigured = error instanceof WebhookConfigError;
    return answer(notConfigured ? 503 : status, {
      code: notConfigured ? 'not_configured' : code,
      message: failed.message,
    });
  }
}

function answer(
  status: number,
  body: { code: string; message: string } | Record<string, unknown>,
  headers: Record<string, string> = {},
): Response {
  const json = status >= 400 ? { error: body } : body;
  return new Response(JSON.stringify(json), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

function makeDeadline(at: number, timeoutMs: number): Deadline {
  const remaining = () => Math.max(1, at - Date.now());
  return {
    remaining,
    bound(work, what) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${what} took longer than the webhook's ${timeoutMs} ms budget`)),
          remaining(),
        );
      });
      return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
    },
  };
}

function parsedBodyMessage(provider: string, parsedBy: string | undefined): string {
  const what =
    parsedBy === undefined
      ? 'the request body was already read before the webhook handler got it'
      : `the request body was already parsed into ${parsedBy} (express.json() or another body parser ran first)`;
  return (
    `${provider} webhook: ${what}, so the signature cannot be checked. The signature covers the raw bytes: ` +
    "in Express mount the route with express.raw({ type: 'application/json' }) and register it before app.use(express.json()); " +
    'elsewhere pass the untouched Request.'
  );
}

// Providers send formatted JSON (Stripe's is indented); JSON.stringify of a parsed body is one
// line. Only used to explain a signature failure, never to decide one.
function looksReserialised(body: string): boolean {
  if (body.includes('\n') || !body.startsWith('{')) return false;
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function logWebhookError(provider: string) {
  return (error: Error, payment?: PaymentInput) => {
    const which = payment ? ` payment ${payment.transaction_id}` : '';
    const code = isDatafastError(error) ? ` (${(error as DatafastError).code})` : '';
    const where = error.message.startsWith(provider) ? '' : `${provider} webhook${which}${code}: `;
    console.error(`[datafast-checkout] ${where}${error.message}`);
  };
}

/**
 * The verified body as the JSON object every provider sends; a {@link WebhookPayloadError}
 * (answered 400) for anything else.
 *
 * @example
 * verify: async (body, request, secret) => { await check(body, request, secret); return parseWebhookJson(body) }
 */
export function parseWebhookJson(body: string): Json {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new WebhookPayloadError('the signed body is not JSON');
  }
  const object = record(parsed);
  if (!object) throw new WebhookPayloadError('the signed body is not a JSON object');
  return object;
}

/**
 * A provider's `verify` from a check that says why a signature fails (or `undefined` when it
 * passes): a failure is a {@link WebhookSignatureError} (400), a verified body its JSON object.
 *
 * @example
 * verify: jsonVerifier((body, request, secret) => checkPaddleSignature(body, header, secret, 5))
 */
export function jsonVerifier<Event>(
  check: (body: string, request: Request, secret: string) => Promise<string | undefined>,
): WebhookProvider<Event>['verify'] {
  return async (body, request, secret) => {
    const failure = await check(body, request, secret);
    if (failure) throw new WebhookSignatureError(failure);
    return parseWebhookJson(body) as Event;
  };
}
