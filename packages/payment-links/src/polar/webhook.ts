import { readEnv } from '../env.js';
import { record } from '../fields.js';
import { outcomeOf } from '../outcome.js';
import { getJson } from '../provider-api.js';
import { checkStandardWebhook, standardWebhookKey } from '../signatures.js';
import {
  createWebhookHandler,
  jsonVerifier,
  type WebhookOptions,
  type WebhookProvider,
} from '../webhook.js';
import { type PolarApiOptions, polarApi } from './api.js';
import { visitorInPolarMetadata } from './carriers.js';
import { hadPaidPolarOrder } from './history.js';
import { mapPolarEvent, type PolarEvent } from './mapping.js';

/** Options of {@link polarWebhook}. */
export interface PolarWebhookOptions extends WebhookOptions<PolarEvent>, PolarApiOptions {
  /** The endpoint's secret, used as Polar's SDK uses it. Default: env `POLAR_WEBHOOK_SECRET`. */
  secret?: string;
  /** Largest accepted age of `webhook-timestamp`, in seconds. Default 300 (Standard Webhooks). */
  tolerance?: number;
  /** Total time per event before answering 5xx. Default 8000: Polar times out at 10 s. */
  timeoutMs?: number;
}

/**
 * Polar counts a delivery failed after 10 s (its current docs, polarsource/polar
 * `docs/integrate/webhooks/delivery`; older copies of https://polar.sh/docs/integrate/webhooks/delivery
 * say 20 s) and disables an endpoint after 10 failures in a row: our answer comes before either.
 */
const polarTimeoutMs = 8_000;

/**
 * A Web handler (`(request: Request) => Promise<Response>`) for Polar webhooks. Polar signs with
 * Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>` over
 * `id.timestamp.body`), keyed with the secret's own UTF-8 bytes (what Polar's SDK does); the
 * check runs on Web Crypto, so Edge and Workers too. Paid orders, renewals, trials and succeeded
 * refunds are reported (see the README's table); with an access token, a refund's visitor is read
 * from its order. Everything fits in 8 s, below Polar's 10 s. Answers as `stripeWebhook` does:
 * 200, 400 for a bad signature, 5xx when a lookup or DataFast finally failed so Polar redelivers.
 *
 * @example
 * export const POST = polarWebhook() // app/api/webhooks/polar/route.ts
 */
export function polarWebhook(
  options: PolarWebhookOptions = {},
): (request: Request) => Promise<Response> {
  return createWebhookHandler<PolarEvent>(
    {
      name: 'Polar',
      secret: () => options.secret ?? readEnv('POLAR_WEBHOOK_SECRET'),
      secretEnv: 'POLAR_WEBHOOK_SECRET',
      defaultTimeoutMs: polarTimeoutMs,
      verify: jsonVerifier((body, request, secret) =>
        checkStandardWebhook(
          body,
          request.headers,
          standardWebhookKey(secret, 'utf8') as Uint8Array,
          options.tolerance,
        ),
      ),
      payments: polarEventPayments(options),
    },
    options,
  );
}

/**
 * What one verified Polar event reports, attributed: the mapping, the renewal rule and the
 * lookups of {@link polarWebhook}, as one function of the event. The webhook delivers its
 * result; `@datafast-checkout/backfill` runs the objects it lists through it, so both report a
 * payment under the same `transaction_id`, amount and visitor.
 *
 * @example
 * const outcome = await polarEventPayments(options)(event, deadline, delivery)
 */
export function polarEventPayments(
  options: Omit<PolarWebhookOptions, 'secret'>,
): WebhookProvider<PolarEvent>['payments'] {
  return async (event, deadline) => {
    const api = polarApi(options);
    return outcomeOf(mapPolarEvent(event), {
      provider: 'Polar',
      hadPaidCharge: api && ((charge, bound) => hadPaidPolarOrder(api, charge, bound)),
      find:
        api &&
        (async ({ orderId }, bound) => {
          const order = await getJson(api, `/v1/orders/${encodeURIComponent(orderId)}`, {}, bound);
          return (
            order && {
              visitorId: visitorInPolarMetadata(
                order.metadata,
                record(order.subscription)?.metadata,
              ),
              origin: order,
            }
          );
        }),
      deadline,
      onError: options.onError,
    });
  };
}
