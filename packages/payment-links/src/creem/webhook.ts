import type { Deadline } from '../deadline.js';
import { readEnv } from '../env.js';
import { record, text } from '../fields.js';
import { outcomeOf } from '../outcome.js';
import { lookupFailure, type ProviderApi } from '../provider-api.js';
import { checkStandardWebhook, standardWebhookKey, verifyHexHmac } from '../signatures.js';
import {
  createWebhookHandler,
  jsonVerifier,
  WebhookConfigError,
  type WebhookOptions,
  type WebhookProvider,
} from '../webhook.js';
import { type CreemApiOptions, creemApi } from './api.js';
import { type CreemEvent, mapCreemEvent, needsTransaction, orderWithoutCharge } from './mapping.js';
import { hadPaidCreemTransaction, readCreemTransaction, withOrderCharge } from './transactions.js';

/** Options of {@link creemWebhook}. */
export interface CreemWebhookOptions extends WebhookOptions<CreemEvent>, CreemApiOptions {
  /** The webhook secret from Creem's dashboard. Default: env `CREEM_WEBHOOK_SECRET`. */
  secret?: string;
  /** Largest accepted age of a Standard Webhooks `webhook-timestamp`, in seconds. Default 300. */
  tolerance?: number;
  /** Total time per event before answering 5xx. Default 8000 (Creem publishes no timeout). */
  timeoutMs?: number;
}

// Creem publishes its retry schedule (30 s, 1 min, 5 min, 1 h: https://docs.creem.io/code/webhooks)
// but no timeout: 8 s, as for the providers that publish 10 s.
const creemTimeoutMs = 8_000;

/**
 * A Web handler (`(request: Request) => Promise<Response>`) for Creem webhooks. It accepts every
 * signature Creem's own verifier does, on Web Crypto: `creem-signature` (or `x-creem-signature`,
 * with or without `sha256=`), the hex HMAC-SHA256 of the raw body keyed with the whole secret,
 * and Standard Webhooks headers (`webhook-signature`, keyed with the `whsec_` secret's base64).
 * It reports first charges, renewals, trials and refunds with Creem's own ids (see the README's
 * table): a subscription's first charge once, under the `tran_…` both `checkout.completed` and
 * `subscription.paid` lead to. Creem's events often lack what that needs (the transaction, what
 * was paid, the subscription's earlier charges), so set the API key (`CREEM_API_KEY`): an event
 * that cannot be reported without it answers 503, so Creem redelivers once configured.
 *
 * @example
 * export const POST = creemWebhook() // app/api/webhooks/creem/route.ts
 */
export function creemWebhook(
  options: CreemWebhookOptions = {},
): (request: Request) => Promise<Response> {
  return createWebhookHandler<CreemEvent>(
    {
      name: 'Creem',
      secret: () => options.secret ?? readEnv('CREEM_WEBHOOK_SECRET'),
      secretEnv: 'CREEM_WEBHOOK_SECRET',
      defaultTimeoutMs: creemTimeoutMs,
      verify: jsonVerifier((body, request, secret) =>
        checkCreemSignature(body, request.headers, secret, options.tolerance),
      ),
      payments: creemEventPayments(options),
    },
    options,
  );
}

/**
 * What one verified Creem event reports, attributed: the mapping, the renewal rule and the
 * lookups of {@link creemWebhook}, as one function of the event. The webhook delivers its
 * result; `@datafast-checkout/backfill` runs the objects it lists through it, so both report a
 * payment under the same `transaction_id`, amount and visitor.
 *
 * @example
 * const outcome = await creemEventPayments(options)(event, deadline, delivery)
 */
export function creemEventPayments(
  options: Omit<CreemWebhookOptions, 'secret'>,
): WebhookProvider<CreemEvent>['payments'] {
  return async (event, deadline) => {
    const api = creemApi(options);
    return outcomeOf(mapCreemEvent(await withTransactions(event, api, deadline)), {
      provider: 'Creem',
      hadPaidCharge: api && ((charge, bound) => hadPaidCreemTransaction(api, charge, bound)),
      deadline,
      onError: options.onError,
    });
  };
}

/**
 * The event with what it lacks read from Creem's API: a checkout's charge (the transaction that
 * paid the order, and what was paid), a `subscription.paid`'s transaction. Without an API key
 * that is a 503 (Creem redelivers once configured); a charge Creem does not list yet is a 500
 * (it redelivers 30 s later).
 */
async function withTransactions(
  event: CreemEvent,
  api: ProviderApi | undefined,
  deadline: Deadline,
): Promise<CreemEvent> {
  const type = text(event.eventType) ?? text(event.type);
  const object = record(event.object) ?? record(event.data);
  const transactionId = needsTransaction(event);
  const order = type === 'checkout.completed' && object ? orderWithoutCharge(object) : undefined;
  if (!object || (!transactionId && !order)) return event;
  if (!api) {
    throw new WebhookConfigError(
      `Creem webhook: ${type} carries no ${order ? 'transaction or amount paid' : 'amount'}; set CREEM_API_KEY (or pass { apiKey }) so the transaction can be read`,
    );
  }
  if (order) {
    const checkout = await withOrderCharge(api, object, deadline).catch((error: unknown) => {
      throw lookupFailure(error, `Creem webhook: reading the charge of order ${String(order.id)}`);
    });
    if (!checkout) {
      throw new Error(
        `Creem API lists no paid transaction for order ${String(order.id)} yet (Creem redelivers)`,
      );
    }
    return { ...event, object: checkout, data: null };
  }
  const transaction = await readCreemTransaction(api, transactionId as string, deadline).catch(
    (error: unknown) => {
      throw lookupFailure(error, `Creem webhook: reading transaction ${transactionId}`);
    },
  );
  if (!transaction) {
    throw new Error(`Creem API has no transaction ${transactionId} (is the key in the same mode?)`);
  }
  return { ...event, object: { ...object, last_transaction: transaction }, data: null };
}

/**
 * Why a Creem webhook does not verify, or `undefined` when it does: a Standard Webhooks
 * signature (when its headers are present and the secret is `whsec_` + base64), else
 * `creem-signature` / `x-creem-signature` (`sha256=` allowed), the hex HMAC of the body.
 *
 * @example
 * await checkCreemSignature(body, request.headers, secret)
 */
export async function checkCreemSignature(
  body: string,
  headers: Headers,
  secret: string,
  toleranceSeconds?: number,
): Promise<string | undefined> {
  let failure: string | undefined;
  if (headers.has('webhook-signature')) {
    const key = standardWebhookKey(secret, 'base64');
    failure = key
      ? await checkStandardWebhook(body, headers, key, toleranceSeconds)
      : 'the secret is not whsec_ + base64, so webhook-signature cannot be checked';
    if (!failure) return undefined;
  }
  const legacy = headers.get('creem-signature') ?? headers.get('x-creem-signature');
  if (legacy) {
    if (await verifyHexHmac(secret, body, legacy.trim().replace(/^sha256=/i, ''))) return undefined;
    return 'creem-signature does not match the body';
  }
  return failure ?? 'missing creem-signature header';
}
