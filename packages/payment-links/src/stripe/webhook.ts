import { readEnv } from '../env.js';
import { outcomeOf } from '../outcome.js';
import {
  createWebhookHandler,
  DEFAULT_WEBHOOK_TIMEOUT_MS,
  WebhookConfigError,
  type WebhookOptions,
  type WebhookProvider,
  WebhookSignatureError,
} from '../webhook.js';
import { findVisitor, hadPaidInvoice } from './lookup.js';
import { mapStripeEvent } from './mapping.js';
import type { StripeClient, StripeEventLike } from './types.js';

/** Options of {@link stripeWebhook}. */
export interface StripeWebhookOptions extends WebhookOptions<StripeEventLike> {
  /** The endpoint's signing secret (`whsec_…`). Default: env `STRIPE_WEBHOOK_SECRET`. */
  secret?: string;
  /**
   * Your Stripe client (`new Stripe(key)`). It verifies signatures, and finds the visitor of
   * events that carry none: a refund, or the first invoice of a payment-link subscription that
   * arrives before its `checkout.session.completed`. Without it, `stripe` is imported on first
   * use for verification only, and those payments are reported unattributed. A lookup that
   * fails (a timeout, 429, 5xx) is answered 503, so Stripe redelivers the event.
   */
  stripe?: StripeClient;
  /** Largest accepted age of a signature, in seconds. Default 300 (Stripe's own default). */
  tolerance?: number;
}

/**
 * A Web handler (`(request: Request) => Promise<Response>`) for Stripe webhooks. It verifies
 * the signature on the raw body with `stripe.webhooks.constructEventAsync` (Web Crypto, so it
 * runs on the Edge runtime and Workers too), reports each payment, renewal, trial and refund
 * with a stable `transaction_id` (see the README's table), awaits DataFast within 10 s (Stripe
 * does not publish its own timeout; `timeoutMs` changes it), and answers: 200 when reported or
 * not a payment event, 400 for a bad signature (nothing reported), 5xx when a lookup or DataFast
 * finally failed so that Stripe redelivers.
 *
 * @example
 * export const POST = stripeWebhook({ stripe }) // app/api/webhooks/stripe/route.ts
 */
export function stripeWebhook(
  options: StripeWebhookOptions = {},
): (request: Request) => Promise<Response> {
  let webhooks: Promise<StripeClient['webhooks']> | undefined;
  const verifier = () => {
    webhooks ??= options.stripe ? Promise.resolve(options.stripe.webhooks) : importWebhooks();
    return webhooks;
  };
  return createWebhookHandler<StripeEventLike>(
    {
      name: 'Stripe',
      secret: () => options.secret ?? readEnv('STRIPE_WEBHOOK_SECRET'),
      secretEnv: 'STRIPE_WEBHOOK_SECRET',
      defaultTimeoutMs: DEFAULT_WEBHOOK_TIMEOUT_MS,
      async verify(body, request, signingSecret) {
        const header = request.headers.get('stripe-signature');
        if (!header) throw new WebhookSignatureError('missing Stripe-Signature header');
        const stripeWebhooks = await verifier();
        try {
          return (await stripeWebhooks.constructEventAsync(
            body,
            header,
            signingSecret,
            options.tolerance,
          )) as StripeEventLike;
        } catch (error) {
          if (isSignatureError(error)) {
            throw new WebhookSignatureError(firstSentence(error.message), { cause: error });
          }
          throw error;
        }
      },
      payments: stripeEventPayments(options),
    },
    options,
  );
}

/**
 * What one verified Stripe event reports, attributed: the mapping, the renewal rule and the
 * visitor lookups of {@link stripeWebhook}, as one function of the event. The webhook delivers
 * its result; `@datafast-checkout/backfill` runs the objects it lists through it, so both report
 * a payment under the same `transaction_id`, amount and visitor.
 *
 * @example
 * const outcome = await stripeEventPayments({ stripe })(event, deadline, delivery)
 */
export function stripeEventPayments(
  options: Pick<StripeWebhookOptions, 'stripe' | 'onError'>,
): WebhookProvider<StripeEventLike>['payments'] {
  const { stripe } = options;
  return async (event, deadline) => {
    const invoices = stripe?.invoices;
    return outcomeOf(mapStripeEvent(event), {
      provider: 'Stripe',
      hadPaidCharge: invoices && ((charge, bound) => hadPaidInvoice(invoices, charge, bound)),
      find: stripe && ((where, bound) => findVisitor(stripe, where, bound)),
      deadline,
      onError: options.onError,
    });
  };
}

async function importWebhooks(): Promise<StripeClient['webhooks']> {
  try {
    // Optional peer: loaded only when no client was passed. Its static `webhooks` needs no key.
    const module = (await import('stripe')) as { default?: unknown; Stripe?: unknown };
    const Stripe = (module.default ?? module.Stripe ?? module) as {
      webhooks?: StripeClient['webhooks'];
    };
    if (!Stripe.webhooks) throw new Error('this version of stripe has no static webhooks');
    return Stripe.webhooks;
  } catch (error) {
    throw new WebhookConfigError(
      `Stripe webhook needs the stripe package (npm install stripe) or a client: stripeWebhook({ stripe }). ${
        error instanceof Error ? error.message : ''
      }`.trim(),
    );
  }
}

function isSignatureError(error: unknown): error is Error {
  const { type, name } = (error ?? {}) as { type?: unknown; name?: unknown };
  return type === 'StripeSignatureVerificationError' || name === 'StripeSignatureVerificationError';
}

// Stripe's messages go on with a docs link and advice over several lines; the first sentence is
// the fact (and never contains the secret).
function firstSentence(message: string): string {
  return message.split('\n')[0]?.trim() || 'signature verification failed';
}
