import { readEnv } from '../env.js';
import { getJson, lookupFailure } from '../provider-api.js';
import { outcomeOf } from '../reports.js';
import { checkStandardWebhook, standardWebhookKey, verifyHexHmac } from '../signatures.js';
import {
  createWebhookHandler,
  jsonVerifier,
  WebhookConfigError,
  type WebhookOptions,
} from '../webhook.js';
import { type CreemApiOptions, creemApi } from './api.js';
import { type CreemEvent, mapCreemEvent, needsTransaction } from './mapping.js';

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
 * table). A `subscription.paid` that does not embed its transaction needs the API key to read the
 * amount: without one it answers 503, so Creem redelivers once configured.
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
      async payments(event, deadline) {
        const transactionId = needsTransaction(event);
        if (transactionId) {
          const api = creemApi(options);
          if (!api) {
            throw new WebhookConfigError(
              'Creem webhook: subscription.paid carries no amount; set CREEM_API_KEY (or pass { apiKey }) so the transaction can be read',
            );
          }
          const transaction = await getJson(
            api,
            '/v1/transactions',
            { transaction_id: transactionId },
            deadline,
          ).catch((error: unknown) => {
            throw lookupFailure(error, `Creem webhook: reading transaction ${transactionId}`);
          });
          if (!transaction)
            throw new Error(
              `Creem API has no transaction ${transactionId} (is the key in the same mode?)`,
            );
          const object = event.object ?? event.data;
          event = { ...event, object: { ...object, last_transaction: transaction }, data: null };
        }
        return outcomeOf(mapCreemEvent(event), { provider: 'Creem', deadline });
      },
    },
    options,
  );
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
