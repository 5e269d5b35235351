import { readEnv } from '../env.js';
import { visitorIn } from '../fields.js';
import { outcomeOf } from '../outcome.js';
import { getJson } from '../provider-api.js';
import { checkStandardWebhook, standardWebhookKey } from '../signatures.js';
import {
  createWebhookHandler,
  jsonVerifier,
  WebhookConfigError,
  type WebhookOptions,
  type WebhookProvider,
} from '../webhook.js';
import { type DodoApiOptions, dodoApi } from './api.js';
import { hadPaidDodoPayment } from './history.js';
import { type DodoEvent, mapDodoEvent } from './mapping.js';

/** Options of {@link dodoWebhook}. */
export interface DodoWebhookOptions extends WebhookOptions<DodoEvent>, DodoApiOptions {
  /**
   * The webhook's secret (`whsec_…`). Default: env `DODO_PAYMENTS_WEBHOOK_KEY` (the name Dodo's
   * SDK reads), else `DODO_PAYMENTS_WEBHOOK_SECRET`.
   */
  secret?: string;
  /** Largest accepted age of `webhook-timestamp`, in seconds. Default 300 (Standard Webhooks). */
  tolerance?: number;
  /** Total time per event before answering 5xx. Default 8000: Dodo Payments times out at 10 s. */
  timeoutMs?: number;
}

/**
 * Dodo Payments' deliveries time out after 10 s ("a 10-second timeout window", 15 s on its newer
 * page: https://docs.dodopayments.com/developer-resources/webhooks): we answer before the shorter.
 */
const dodoTimeoutMs = 8_000;

/**
 * A Web handler (`(request: Request) => Promise<Response>`) for Dodo Payments webhooks. Dodo
 * signs with Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`), keyed
 * with the base64 after `whsec_`; the check runs on Web Crypto (Edge, Workers). Every succeeded
 * charge and refund is reported under Dodo's own ids (see the README's table); with an API key a
 * refund's visitor is read from its payment, since refunds carry only their own metadata.
 * Everything fits in 8 s, below Dodo's 10 s.
 *
 * @example
 * export const POST = dodoWebhook() // app/api/webhooks/dodo/route.ts
 */
export function dodoWebhook(
  options: DodoWebhookOptions = {},
): (request: Request) => Promise<Response> {
  return createWebhookHandler<DodoEvent>(
    {
      name: 'Dodo Payments',
      secret: () =>
        options.secret ?? readEnv('DODO_PAYMENTS_WEBHOOK_KEY', 'DODO_PAYMENTS_WEBHOOK_SECRET'),
      secretEnv: 'DODO_PAYMENTS_WEBHOOK_KEY',
      defaultTimeoutMs: dodoTimeoutMs,
      verify: jsonVerifier((body, request, secret) => {
        const key = standardWebhookKey(secret, 'base64');
        if (!key) {
          throw new WebhookConfigError(
            'Dodo Payments webhook: the secret is not whsec_ followed by base64; copy it again from the dashboard',
          );
        }
        return checkStandardWebhook(body, request.headers, key, options.tolerance);
      }),
      payments: dodoEventPayments(options),
    },
    options,
  );
}

/**
 * What one verified Dodo event reports, attributed: the mapping, the renewal rule and the
 * lookups of {@link dodoWebhook}, as one function of the event. The webhook delivers its
 * result; `@datafast-checkout/backfill` runs the objects it lists through it, so both report a
 * payment under the same `transaction_id`, amount and visitor.
 *
 * @example
 * const outcome = await dodoEventPayments(options)(event, deadline, delivery)
 */
export function dodoEventPayments(
  options: Omit<DodoWebhookOptions, 'secret'>,
): WebhookProvider<DodoEvent>['payments'] {
  return async (event, deadline) => {
    const api = dodoApi(options);
    return outcomeOf(mapDodoEvent(event), {
      provider: 'Dodo Payments',
      hadPaidCharge: api && ((charge, bound) => hadPaidDodoPayment(api, charge, bound)),
      find:
        api &&
        (async ({ paymentId }, bound) => {
          const payment = await getJson(
            api,
            `/payments/${encodeURIComponent(paymentId)}`,
            {},
            bound,
          );
          return payment && { visitorId: visitorIn([payment.metadata]), origin: payment };
        }),
      deadline,
      onError: options.onError,
    });
  };
}
