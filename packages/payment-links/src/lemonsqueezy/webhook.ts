import { readEnv } from '../env.js';
import { KeyedQueue } from '../memory.js';
import { outcomeOf } from '../outcome.js';
import { verifyHexHmac } from '../signatures.js';
import { memoryStore, type SharedStore } from '../store.js';
import {
  createWebhookHandler,
  jsonVerifier,
  type WebhookOptions,
  type WebhookProvider,
} from '../webhook.js';
import { type LemonSqueezyApiOptions, lemonSqueezyApi } from './api.js';
import { hadPaidLemonSqueezyInvoice } from './history.js';
import { type LemonSqueezyEvent, mapLemonSqueezyEvent } from './mapping.js';
import { legacyTotals, type RefundTotals, replaceRefundTotal, storeTotals } from './refunds.js';

export type { RefundTotals } from './refunds.js';

/**
 * Options of {@link lemonSqueezyWebhook}. With an API key (`LEMONSQUEEZY_API_KEY`), a renewal
 * invoice is checked against the subscription's earlier invoices, so the first charge after a
 * free trial is reported as new revenue, not a renewal.
 */
export interface LemonSqueezyWebhookOptions
  extends WebhookOptions<LemonSqueezyEvent>,
    LemonSqueezyApiOptions {
  /** The webhook's signing secret. Default: env `LEMONSQUEEZY_WEBHOOK_SECRET`. */
  secret?: string;
  /**
   * The largest refund total recorded per order or invoice (minor units).
   *
   * @deprecated Pass `store` instead (`postgresStore`, `redisStore`, or your own
   * `SharedStore`): without an API key, instances sharing it end at the latest total even when
   * two totals race, which `get` then `set` cannot promise. Still honoured when given (and
   * `store` is not): a total is recorded once DataFast has it.
   */
  refundTotals?: RefundTotals;
  /** Total time per event before answering 5xx. Default 8000 (LemonSqueezy publishes no timeout). */
  timeoutMs?: number;
}

// LemonSqueezy publishes its retries (three, after 5, 25 and 125 s:
// https://docs.lemonsqueezy.com/help/webhooks/webhook-requests) but no timeout: 8 s, as for the
// providers that publish 10 s.
const lemonSqueezyTimeoutMs = 8_000;

/**
 * A Web handler (`(request: Request) => Promise<Response>`) for LemonSqueezy webhooks. It
 * verifies `X-Signature` (the hex HMAC-SHA256 of the raw body with the signing secret, compared
 * in constant time; LemonSqueezy signs no timestamp) with Web Crypto, reports orders, renewals,
 * trials and refunds with stable ids (see the README's table), awaits DataFast within 8 s and
 * answers 200, 400 for a bad signature, 5xx when DataFast finally failed so LemonSqueezy
 * redelivers. LemonSqueezy sends a refund as the order's (or invoice's) refunded total so far:
 * it becomes the object's one refund record, replaced when the total grows; with an API key
 * (env `LEMONSQUEEZY_API_KEY`) the current total is read from LemonSqueezy, so totals racing
 * or arriving out of order on several instances still end at the latest.
 *
 * @example
 * export const POST = lemonSqueezyWebhook() // app/api/webhooks/lemonsqueezy/route.ts
 */
export function lemonSqueezyWebhook(
  options: LemonSqueezyWebhookOptions = {},
): (request: Request) => Promise<Response> {
  // One store for what the handler remembers: delivered ids and refund totals.
  const store = options.store ?? memoryStore(10_000);
  return createWebhookHandler<LemonSqueezyEvent>(
    {
      name: 'LemonSqueezy',
      secret: () => options.secret ?? readEnv('LEMONSQUEEZY_WEBHOOK_SECRET'),
      secretEnv: 'LEMONSQUEEZY_WEBHOOK_SECRET',
      defaultTimeoutMs: lemonSqueezyTimeoutMs,
      verify: jsonVerifier(async (body, request, secret) => {
        const signature = request.headers.get('x-signature');
        if (!signature) return 'missing X-Signature header';
        return (await verifyHexHmac(secret, body, signature))
          ? undefined
          : 'X-Signature does not match the body';
      }),
      payments: lemonSqueezyEventPayments(options, store),
    },
    { ...options, store },
  );
}

/**
 * What one verified LemonSqueezy event reports, attributed: the mapping, the renewal rule and the
 * lookups of {@link lemonSqueezyWebhook}, as one function of the event. The webhook delivers its
 * result; `@datafast-checkout/backfill` runs the objects it lists through it, so both report a
 * payment under the same `transaction_id`, amount and visitor.
 *
 * @example
 * const outcome = await lemonSqueezyEventPayments(options)(event, deadline, delivery)
 *
 * @param store Where refund totals are kept; the webhook passes the one that also holds its delivered ids.
 */
export function lemonSqueezyEventPayments(
  options: Omit<LemonSqueezyWebhookOptions, 'secret'>,
  store: SharedStore = options.store ?? memoryStore(10_000),
): WebhookProvider<LemonSqueezyEvent>['payments'] {
  const totals =
    options.refundTotals && !options.store
      ? legacyTotals(options.refundTotals)
      : storeTotals(store);
  // Orders the work on one object within this process; the store orders it across processes.
  const queue = new KeyedQueue();
  return async (event, deadline, delivery) => {
    const mapping = mapLemonSqueezyEvent(event);
    if (!('refundTotal' in mapping)) {
      const api = lemonSqueezyApi(options);
      return outcomeOf(mapping, {
        provider: 'LemonSqueezy',
        hadPaidCharge: api && ((charge, bound) => hadPaidLemonSqueezyInvoice(api, charge, bound)),
        deadline,
        onError: options.onError,
      });
    }
    return replaceRefundTotal(mapping.refundTotal, {
      api: lemonSqueezyApi(options),
      totals,
      queue,
      deadline,
      delivery,
    });
  };
}
