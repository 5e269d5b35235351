import {
  type DatafastClientOrOptions,
  type DatafastError,
  isDatafastError,
  type PaymentInput,
} from '@datafast-checkout/core';
import { createDeadline, type Deadline } from './deadline.js';
import { createDelivery, type Delivery, DeliveryFailure } from './delivery.js';
import {
  ProviderLookupError,
  WebhookConfigError,
  WebhookPayloadError,
  WebhookSignatureError,
} from './errors.js';
import { parsedBodyOf } from './express.js';
import { type Json, record } from './fields.js';
import type { WebhookOutcome } from './outcome.js';
import { memoryStore, type SharedStore } from './store.js';
import { type WebsiteRouting, websiteRouter } from './websites.js';

export { WebhookConfigError, WebhookPayloadError, WebhookSignatureError } from './errors.js';

/**
 * The default total time a webhook handler spends on one event (verification, lookups,
 * delivery with its retries) before it answers 5xx, for a provider that does not publish a
 * shorter delivery timeout: Stripe's handler uses it (Stripe does not publish its timeout;
 * reported between 20 and 30 s). Each provider's handler has its own default, below that
 * provider's documented timeout (Paddle 4 s for its 5 s; Polar and Dodo Payments 8 s for their
 * 10 s; LemonSqueezy and Creem, unpublished, 8 s), so the provider always sees our answer rather
 * than its own timeout, which Polar counts towards disabling the endpoint.
 */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

/** What each provider plugs into {@link createWebhookHandler}. */
export interface WebhookProvider<Event> {
  /** Shown in messages: `Stripe`. */
  name: string;
  /** The signing secret, or `undefined` when it is not configured (read per request: env may load late). */
  secret(): string | undefined;
  /** Where the secret is read from when not passed, for the "not configured" message. */
  secretEnv: string;
  /** The time budget per event when `timeoutMs` is not passed: below the provider's own timeout. */
  defaultTimeoutMs: number;
  /** Verifies the raw body; throws {@link WebhookSignatureError} for a bad signature. */
  verify(body: string, request: Request, secret: string): Promise<Event>;
  /**
   * The payments (already attributed) that one verified event reports; a provider whose records
   * are totals that change delivers them itself through `delivery` (and answers `reported`).
   */
  payments(event: Event, deadline: Deadline, delivery: Delivery): Promise<WebhookOutcome>;
}

/** Options every provider's webhook takes. */
export interface WebhookOptions<Event = unknown> {
  /** A DataFast client or `createDatafast` options. Default: the shared client from the environment. */
  datafast?: DatafastClientOrOptions;
  /**
   * One provider account selling for several DataFast websites: report each payment to the
   * website its route names (a checkout metadata field, or a function of the payment and the
   * event). Payments that name none go to `datafast`.
   */
  websites?: WebsiteRouting<Event>;
  /** Total time per event before answering 5xx. Default: the provider's own (see its handler). */
  timeoutMs?: number;
  /**
   * Every event we could not report, with the payment when there is one. The provider gets a
   * 5xx and redelivers, so this is a warning, not yet a loss. Default: `console.error`.
   */
  onError?: (error: Error, payment?: PaymentInput) => void;
  /**
   * What the handler remembers across events: the ids it delivered (a redelivered event then
   * skips DataFast, which would deduplicate it anyway) and, for LemonSqueezy, refund totals.
   * Share one (`postgresStore`, `redisStore`) across instances or serverless functions when
   * LemonSqueezy refunds arrive without an API key; see the README. Default: in memory, per
   * handler and per process.
   */
  store?: SharedStore;
}

/**
 * The part of a signed-webhook handler that every provider shares: POST only, the raw body
 * (refusing one that a body parser already consumed, with the fix in the message), signature
 * verification by the provider, delivery to DataFast (to the website each payment routes to)
 * awaited within one time bound, and the answers: 400 for a bad signature, 200 for events that
 * report nothing, 5xx (so the provider redelivers) when a lookup or the delivery finally fails
 * or the handler is misconfigured.
 *
 * @example
 * export const POST = createWebhookHandler(stripeProvider(options), options)
 */
export function createWebhookHandler<Event>(
  provider: WebhookProvider<Event>,
  options: WebhookOptions<Event> = {},
): (request: Request) => Promise<Response> {
  const route = websiteRouter(options.datafast, options.websites);
  const timeoutMs = options.timeoutMs ?? provider.defaultTimeoutMs;
  // One attempt may not eat the whole budget: a hung connection still leaves room for a retry.
  const attemptTimeoutMs = Math.min(4_000, Math.max(1_000, Math.floor(timeoutMs / 2)));
  const onError = options.onError ?? logWebhookError(provider.name);
  // Ids delivered: a redelivery is answered without calling DataFast again. Only a shortcut;
  // DataFast's own deduplication on transaction_id is what guarantees once.
  const store = options.store ?? memoryStore(1000);

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

    const deadline = createDeadline(timeoutMs);
    let body = '';
    let event: Event;
    try {
      // A body that trickles in counts against the budget too.
      body = await deadline.bound(request.text(), 'reading the body');
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
      return failure(error);
    }

    const delivery = createDelivery({
      route,
      source: event,
      deadline,
      attemptTimeoutMs,
      store,
      onError,
    });
    let reported: string[];
    let withdrawn: string[] = [];
    try {
      const outcome = await provider.payments(event, deadline, delivery);
      if ('ignored' in outcome) return answer(200, { received: true, ignored: outcome.ignored });
      reported = 'reported' in outcome ? outcome.reported : await delivery.create(outcome.payments);
      if ('withdraw' in outcome && outcome.withdraw?.length) {
        withdrawn = await delivery.withdraw(outcome.withdraw);
      }
    } catch (error) {
      if (!(error instanceof DeliveryFailure)) return failure(error);
      // Each failed payment already went to onError.
      const { reason } = error;
      if (reason instanceof WebhookConfigError) {
        return answer(503, { code: 'not_configured', message: reason.message });
      }
      const message = `not reported to DataFast within ${timeoutMs} ms: ${asError(reason).message}`;
      return answer(isDatafastError(reason) ? 502 : 500, { code: 'delivery_failed', message });
    }
    return answer(200, {
      received: true,
      reported,
      ...(withdrawn.length > 0 ? { withdrawn } : {}),
    });
  };

  function failure(error: unknown): Response {
    const failed = asError(error);
    if (error instanceof ProviderLookupError) {
      onError(failed, error.payment);
      return answer(503, { code: 'lookup_failed', message: failed.message });
    }
    onError(failed);
    if (error instanceof WebhookConfigError) {
      return answer(503, { code: 'not_configured', message: failed.message });
    }
    return answer(500, { code: 'handler_error', message: failed.message });
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
