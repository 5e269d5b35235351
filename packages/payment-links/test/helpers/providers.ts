/**
 * The five providers described the same way, so one table of tests covers what every webhook
 * handler must do (signatures, refusals, DataFast down, redelivery) and the Edge runtime test
 * runs each one: how to make its handler, a paid event and its `transaction_id`, and how the
 * provider signs.
 */
import {
  creemCheckout,
  creemEvent,
  creemWebhookSecret,
  dodoEvent,
  dodoPayment,
  dodoWebhookSecret,
  lemonSqueezyEvent,
  lemonSqueezyOrder,
  lemonSqueezyWebhookSecret,
  paddleEvent,
  paddleTransaction,
  paddleWebhookSecret,
  polarEvent,
  polarOrder,
  polarWebhookSecret,
  visitor,
} from '@datafast-checkout/testing';
import { creemWebhook } from '../../src/creem/index.js';
import { dodoWebhook } from '../../src/dodo/index.js';
import { lemonSqueezyWebhook } from '../../src/lemonsqueezy/index.js';
import { paddleWebhook } from '../../src/paddle/index.js';
import { polarWebhook } from '../../src/polar/index.js';
import type { WebhookOptions } from '../../src/webhook.js';
import {
  creemRequest,
  lemonSqueezyRequest,
  paddleRequest,
  standardWebhookRequest,
} from './sign.js';

type Json = Record<string, unknown>;

/** How a test signs: another secret, another time, or other bytes than the event's. */
export interface SignOptions {
  secret?: string;
  timestamp?: number;
  payload?: string;
}

export interface ProviderCase {
  name: string;
  /** The subpath's built file and the handler's export, for the Edge runtime test. */
  entry: string;
  factory: string;
  /** The default env variable for the secret. */
  secretEnv: string;
  secret: string;
  handler(options?: WebhookOptions & { secret?: string }): (request: Request) => Promise<Response>;
  /** A paid event, the visitor it carries, and the `transaction_id` it is reported under. */
  paid(): { event: Json; transactionId: string; amount: number; currency: string };
  sign(url: string, event: Json, options?: SignOptions): Request;
  /** A verified event that reports no payment. */
  unhandled: Json;
  /** Seconds past the signature tolerance, when the provider signs a timestamp. */
  staleBy?: number;
  /** A timestamp ahead of our clock is accepted (Paddle's SDK checks age only). */
  acceptsAhead?: boolean;
}

const carried = { datafast_visitor_id: visitor };

export const providerCases: ProviderCase[] = [
  {
    name: 'LemonSqueezy',
    entry: 'lemonsqueezy.js',
    factory: 'lemonSqueezyWebhook',
    secretEnv: 'LEMONSQUEEZY_WEBHOOK_SECRET',
    secret: lemonSqueezyWebhookSecret,
    unhandled: lemonSqueezyEvent('subscription_updated', {
      type: 'subscriptions',
      id: '1',
      attributes: {},
    }),
    handler: (options) => lemonSqueezyWebhook({ secret: lemonSqueezyWebhookSecret, ...options }),
    paid() {
      const order = lemonSqueezyOrder();
      return {
        event: lemonSqueezyEvent('order_created', order, carried),
        transactionId: `ls_order_${order.id}`,
        amount: 35.99,
        currency: 'USD',
      };
    },
    sign: (url, event, options = {}) =>
      lemonSqueezyRequest(url, event, {
        secret: options.secret ?? lemonSqueezyWebhookSecret,
        ...(options.payload ? { payload: options.payload } : {}),
      }),
  },
  {
    name: 'Polar',
    entry: 'polar.js',
    factory: 'polarWebhook',
    secretEnv: 'POLAR_WEBHOOK_SECRET',
    secret: polarWebhookSecret,
    unhandled: polarEvent('customer.created', { id: 'cus_1' }),
    handler: (options) => polarWebhook({ secret: polarWebhookSecret, ...options }),
    paid() {
      const order = polarOrder({ metadata: carried });
      return {
        event: polarEvent('order.paid', order),
        transactionId: order.id as string,
        amount: 35.99,
        currency: 'USD',
      };
    },
    sign: (url, event, options = {}) =>
      standardWebhookRequest(url, event, {
        ...options,
        secret: options.secret ?? polarWebhookSecret,
        secretEncoding: 'utf8',
      }),
    staleBy: 301,
  },
  {
    name: 'Paddle',
    entry: 'paddle.js',
    factory: 'paddleWebhook',
    secretEnv: 'PADDLE_NOTIFICATION_WEBHOOK_SECRET',
    secret: paddleWebhookSecret,
    unhandled: paddleEvent('customer.created', { id: 'ctm_1' }),
    handler: (options) => paddleWebhook({ secret: paddleWebhookSecret, ...options }),
    paid() {
      const transaction = paddleTransaction({ custom_data: carried });
      return {
        event: paddleEvent('transaction.completed', transaction),
        transactionId: transaction.id as string,
        amount: 35.99,
        currency: 'USD',
      };
    },
    sign: (url, event, options = {}) =>
      paddleRequest(url, event, {
        secrets: [options.secret ?? paddleWebhookSecret],
        ...(options.timestamp ? { timestamp: options.timestamp } : {}),
        ...(options.payload ? { payload: options.payload } : {}),
      }),
    staleBy: 6,
    acceptsAhead: true,
  },
  {
    name: 'Creem',
    entry: 'creem.js',
    factory: 'creemWebhook',
    secretEnv: 'CREEM_WEBHOOK_SECRET',
    secret: creemWebhookSecret,
    unhandled: creemEvent('subscription.canceled', { id: 'sub_1' }),
    handler: (options) => creemWebhook({ secret: creemWebhookSecret, ...options }),
    paid() {
      const checkout = creemCheckout({}, { metadata: carried });
      return {
        event: creemEvent('checkout.completed', checkout),
        transactionId: (checkout.order as Json).transaction as string,
        amount: 12.1,
        currency: 'EUR',
      };
    },
    // Creem's newer deliveries carry Standard Webhooks headers too; the legacy header is
    // covered by the Creem suite.
    sign: (url, event, options = {}) =>
      options.timestamp
        ? standardWebhookRequest(url, event, {
            ...options,
            secret: options.secret ?? creemWebhookSecret,
            secretEncoding: 'whsec',
          })
        : creemRequest(url, event, {
            secret: options.secret ?? creemWebhookSecret,
            ...(options.payload ? { payload: options.payload } : {}),
          }),
    staleBy: 301,
  },
  {
    name: 'Dodo Payments',
    entry: 'dodo.js',
    factory: 'dodoWebhook',
    secretEnv: 'DODO_PAYMENTS_WEBHOOK_KEY',
    secret: dodoWebhookSecret,
    unhandled: dodoEvent('subscription.active', { subscription_id: 'sub_1' }),
    handler: (options) => dodoWebhook({ secret: dodoWebhookSecret, ...options }),
    paid() {
      const payment = dodoPayment({ metadata: carried });
      return {
        event: dodoEvent('payment.succeeded', payment),
        transactionId: payment.payment_id as string,
        amount: 35.99,
        currency: 'USD',
      };
    },
    sign: (url, event, options = {}) =>
      standardWebhookRequest(url, event, {
        ...options,
        secret: options.secret ?? dodoWebhookSecret,
        secretEncoding: 'whsec',
      }),
    staleBy: 301,
  },
];

/** Another secret of the same form as `secret` (a whsec_ secret stays valid base64). */
export function otherSecret(secret: string): string {
  return secret.startsWith('whsec_')
    ? 'whsec_b3RoZXItc2VjcmV0LWZvci10aGUtd3JvbmctZW5kcG9pbnQ='
    : `${secret}_other`;
}
