import { readEnv } from '../env.js';
import { record } from '../fields.js';
import { getJson } from '../provider-api.js';
import { attributeReports } from '../reports.js';
import { checkStandardWebhook, standardWebhookKey } from '../signatures.js';
import {
  createWebhookHandler,
  parseWebhookJson,
  type WebhookOptions,
  WebhookSignatureError,
} from '../webhook.js';
import { type PolarApiOptions, polarApi } from './api.js';
import { visitorInPolarMetadata } from './carriers.js';
import { mapPolarEvent, type PolarEvent } from './mapping.js';

/** Options of {@link polarWebhook}. */
export interface PolarWebhookOptions extends WebhookOptions, PolarApiOptions {
  /** The endpoint's secret, used as Polar's SDK uses it. Default: env `POLAR_WEBHOOK_SECRET`. */
  secret?: string;
  /** Largest accepted age of `webhook-timestamp`, in seconds. Default 300 (Standard Webhooks). */
  tolerance?: number;
}

/**
 * A Web handler (`(request: Request) => Promise<Response>`) for Polar webhooks. Polar signs with
 * Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>` over
 * `id.timestamp.body`), keyed with the secret's own UTF-8 bytes (what Polar's SDK does); the
 * check runs on Web Crypto, so Edge and Workers too. Paid orders, renewals, trials and succeeded
 * refunds are reported (see the README's table); with an access token, a refund's visitor is read
 * from its order. Answers as `stripeWebhook` does: 200, 400 for a bad signature, 5xx when DataFast
 * finally failed so Polar redelivers.
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
      async verify(body, request, secret) {
        const key = standardWebhookKey(secret, 'utf8') as Uint8Array;
        const failure = await checkStandardWebhook(body, request.headers, key, options.tolerance);
        if (failure) throw new WebhookSignatureError(failure);
        return parseWebhookJson(body) as PolarEvent;
      },
      async payments(event, deadline) {
        const mapping = mapPolarEvent(event);
        if ('ignored' in mapping) return mapping;
        const api = polarApi(options);
        const payments = await attributeReports(mapping.reports, {
          provider: 'Polar',
          find:
            api &&
            (async ({ orderId }, bound) => {
              const order = await getJson(
                api,
                `/v1/orders/${encodeURIComponent(orderId)}`,
                {},
                bound,
              );
              return visitorInPolarMetadata(order?.metadata, record(order?.subscription)?.metadata);
            }),
          deadline,
          onError: options.onError,
        });
        return { payments };
      },
    },
    options,
  );
}
