import { readEnv } from '../env.js';
import { record } from '../fields.js';
import { outcomeOf } from '../outcome.js';
import { getJson } from '../provider-api.js';
import { verifyHexHmac } from '../signatures.js';
import {
  createWebhookHandler,
  jsonVerifier,
  type WebhookOptions,
  type WebhookProvider,
} from '../webhook.js';
import { type PaddleApiOptions, paddleApi } from './api.js';
import { visitorInPaddleCustomData } from './carriers.js';
import { hadPaidPaddleTransaction } from './history.js';
import { mapPaddleEvent, type PaddleEvent } from './mapping.js';

/** Options of {@link paddleWebhook}. */
export interface PaddleWebhookOptions extends WebhookOptions<PaddleEvent>, PaddleApiOptions {
  /**
   * The notification destination's secret key (`pdl_ntfset_…`). Default: env
   * `PADDLE_NOTIFICATION_WEBHOOK_SECRET` (the name Paddle's starter kits use), else
   * `PADDLE_WEBHOOK_SECRET`.
   */
  secret?: string;
  /**
   * Largest accepted age of the signature's `ts`, in seconds. Default 5, as Paddle's SDK. Like
   * the SDK, only age is checked: a `ts` ahead of this server's clock is accepted.
   */
  tolerance?: number;
  /** Total time per event before answering 5xx. Default 4000: Paddle wants a 2xx within 5 s. */
  timeoutMs?: number;
}

/**
 * Paddle counts a delivery failed unless it gets a 2xx within five seconds
 * (https://developer.paddle.com/webhooks/respond-to-webhooks): one second is left for the network.
 */
const paddleTimeoutMs = 4_000;

/**
 * A Web handler (`(request: Request) => Promise<Response>`) for Paddle Billing webhooks. It
 * verifies `Paddle-Signature: ts=…;h1=…` (hex HMAC-SHA256 of `ts:body`) on Web Crypto, accepting
 * any of the `h1` values, so a secret being rotated works with its old and new key; the `ts` must
 * be at most `tolerance` seconds old. Paid transactions, renewals, trials and approved refunds
 * are reported (see the README's table); with an API key, a refund's visitor is read from its
 * transaction's custom data. Everything fits in 4 s, below Paddle's 5 s. Answers as
 * `stripeWebhook` does.
 *
 * @example
 * export const POST = paddleWebhook() // app/api/webhooks/paddle/route.ts
 */
export function paddleWebhook(
  options: PaddleWebhookOptions = {},
): (request: Request) => Promise<Response> {
  const tolerance = options.tolerance ?? 5;
  return createWebhookHandler<PaddleEvent>(
    {
      name: 'Paddle',
      secret: () =>
        options.secret ?? readEnv('PADDLE_NOTIFICATION_WEBHOOK_SECRET', 'PADDLE_WEBHOOK_SECRET'),
      secretEnv: 'PADDLE_NOTIFICATION_WEBHOOK_SECRET',
      defaultTimeoutMs: paddleTimeoutMs,
      verify: jsonVerifier(async (body, request, secret) => {
        const header = request.headers.get('paddle-signature');
        return header
          ? checkPaddleSignature(body, header, secret, tolerance)
          : 'missing Paddle-Signature header';
      }),
      payments: paddleEventPayments(options),
    },
    options,
  );
}

/**
 * What one verified Paddle event reports, attributed: the mapping, the renewal rule and the
 * lookups of {@link paddleWebhook}, as one function of the event. The webhook delivers its
 * result; `@datafast-checkout/backfill` runs the objects it lists through it, so both report a
 * payment under the same `transaction_id`, amount and visitor.
 *
 * @example
 * const outcome = await paddleEventPayments(options)(event, deadline, delivery)
 */
export function paddleEventPayments(
  options: Omit<PaddleWebhookOptions, 'secret'>,
): WebhookProvider<PaddleEvent>['payments'] {
  return async (event, deadline) => {
    const api = paddleApi(options);
    return outcomeOf(mapPaddleEvent(event), {
      provider: 'Paddle',
      hadPaidCharge: api && ((charge, bound) => hadPaidPaddleTransaction(api, charge, bound)),
      find:
        api &&
        (async ({ transactionId }, bound) => {
          const path = `/transactions/${encodeURIComponent(transactionId)}`;
          const transaction = record((await getJson(api, path, {}, bound))?.data);
          return (
            transaction && {
              visitorId: visitorInPaddleCustomData(transaction.custom_data),
              origin: transaction,
            }
          );
        }),
      deadline,
      onError: options.onError,
    });
  };
}

/**
 * Why a `Paddle-Signature` header does not verify, or `undefined` when one of its `h1` values is
 * the HMAC-SHA256 of `<ts>:<body>` and `ts` is at most `toleranceSeconds` old. As in Paddle's
 * SDK (`WebhooksValidator`: refused when now > ts + 5 s), a `ts` ahead of this server's clock is
 * accepted: a server whose clock runs behind must not refuse every delivery.
 *
 * @example
 * await checkPaddleSignature(body, request.headers.get('paddle-signature') ?? '', secret, 5)
 */
export async function checkPaddleSignature(
  body: string,
  header: string,
  secret: string,
  toleranceSeconds: number,
): Promise<string | undefined> {
  let ts: string | undefined;
  const signatures: string[] = [];
  for (const part of header.split(';')) {
    const [key, value] = part.split('=', 2).map((side) => side.trim());
    if (key === 'ts' && value) ts = value;
    else if (key === 'h1' && value) signatures.push(value);
  }
  if (!ts || !/^\d{1,12}$/.test(ts) || signatures.length === 0) {
    return 'Paddle-Signature is not ts=…;h1=…';
  }
  if (Date.now() / 1000 - Number(ts) > toleranceSeconds) {
    return `Paddle-Signature ts is more than ${toleranceSeconds} s old (outside the tolerance)`;
  }
  let matched = false;
  // Every h1 is checked (a rotated secret sends one per key); none is skipped after a match.
  for (const signature of signatures) {
    if (await verifyHexHmac(secret, `${ts}:${body}`, signature)) matched = true;
  }
  return matched ? undefined : 'no Paddle-Signature h1 matches the body';
}
