import { readEnv } from '../env.js';
import { BoundedMap } from '../memory.js';
import { settleRenewals } from '../renewals.js';
import { attributeReports, outcomeOf } from '../reports.js';
import { verifyHexHmac } from '../signatures.js';
import { createWebhookHandler, jsonVerifier, type WebhookOptions } from '../webhook.js';
import { type LemonSqueezyApiOptions, lemonSqueezyApi } from './api.js';
import { hadPaidLemonSqueezyInvoice } from './history.js';
import { type LemonSqueezyEvent, mapLemonSqueezyEvent, refundIncrement } from './mapping.js';

/**
 * Where the LemonSqueezy webhook remembers how much of each order or invoice it has reported as
 * refunded (minor units), since LemonSqueezy only sends the cumulative total. A `Map` fits; pass
 * a shared store (Redis, a KV) when several processes receive webhooks, so a second partial
 * refund that reaches another process still reports only its increment.
 */
export interface RefundTotals {
  get(key: string): number | undefined | Promise<number | undefined>;
  set(key: string, refundedMinor: number): unknown;
}

/**
 * Options of {@link lemonSqueezyWebhook}. With an API key (`LEMONSQUEEZY_API_KEY`), a renewal
 * invoice is checked against the subscription's earlier invoices, so the first charge after a
 * free trial is reported as new revenue, not a renewal.
 */
export interface LemonSqueezyWebhookOptions extends WebhookOptions, LemonSqueezyApiOptions {
  /** The webhook's signing secret. Default: env `LEMONSQUEEZY_WEBHOOK_SECRET`. */
  secret?: string;
  /** Refund totals already reported. Default: in memory, per process (the last 10 000 objects). */
  refundTotals?: RefundTotals;
}

/**
 * A Web handler (`(request: Request) => Promise<Response>`) for LemonSqueezy webhooks. It
 * verifies `X-Signature` (the hex HMAC-SHA256 of the raw body with the signing secret, compared
 * in constant time; LemonSqueezy signs no timestamp) with Web Crypto, reports orders, renewals,
 * trials and refunds with stable ids (see the README's table), awaits DataFast within 10 s and
 * answers 200, 400 for a bad signature, 5xx when DataFast finally failed so LemonSqueezy
 * redelivers.
 *
 * @example
 * export const POST = lemonSqueezyWebhook() // app/api/webhooks/lemonsqueezy/route.ts
 */
export function lemonSqueezyWebhook(
  options: LemonSqueezyWebhookOptions = {},
): (request: Request) => Promise<Response> {
  const refundTotals: RefundTotals = options.refundTotals ?? new BoundedMap(10_000);
  return createWebhookHandler<LemonSqueezyEvent>(
    {
      name: 'LemonSqueezy',
      secret: () => options.secret ?? readEnv('LEMONSQUEEZY_WEBHOOK_SECRET'),
      secretEnv: 'LEMONSQUEEZY_WEBHOOK_SECRET',
      verify: jsonVerifier(async (body, request, secret) => {
        const signature = request.headers.get('x-signature');
        if (!signature) return 'missing X-Signature header';
        return (await verifyHexHmac(secret, body, signature))
          ? undefined
          : 'X-Signature does not match the body';
      }),
      async payments(event, deadline) {
        const mapping = mapLemonSqueezyEvent(event);
        const context = { provider: 'LemonSqueezy', deadline };
        if (!('refundTotal' in mapping)) {
          const api = lemonSqueezyApi(options);
          const settled = await settleRenewals(mapping, {
            hadPaidCharge:
              api && ((charge, bound) => hadPaidLemonSqueezyInvoice(api, charge, bound)),
            deadline,
          });
          return outcomeOf(settled, context);
        }

        const total = mapping.refundTotal;
        const reported = BigInt((await refundTotals.get(total.key)) ?? 0);
        const refund = refundIncrement(total, reported);
        if (!refund) {
          return {
            ignored: `refunds of ${total.key} up to ${total.refundedMinor} were already reported`,
          };
        }
        return {
          payments: await attributeReports([refund], context),
          // Only once DataFast has the record: a failed delivery is redelivered as the same increment.
          onDelivered: async () => {
            const now = BigInt((await refundTotals.get(total.key)) ?? 0);
            if (total.refundedMinor > now)
              await refundTotals.set(total.key, Number(total.refundedMinor));
          },
        };
      },
    },
    options,
  );
}
