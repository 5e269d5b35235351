/**
 * The fixtures and signed requests the provider suites use, checked against each provider's own
 * SDK: its webhook schemas (where it ships them) parse our payloads, and its verifier accepts our
 * signatures. If a fixture drifts from what the provider documents, or a signing helper from the
 * provider's scheme, this fails rather than the suites passing against a fiction.
 */

import {
  creemCheckout,
  creemDispute,
  creemEvent,
  creemRefund,
  creemSubscription,
  creemTransaction,
  creemWebhookSecret,
  dodoDispute,
  dodoEvent,
  dodoPayment,
  dodoRefund,
  dodoWebhookSecret,
  lemonSqueezyInvoiceTemplate,
  lemonSqueezyOrderTemplate,
  paddleEvent,
  paddleRefund,
  paddleTransaction,
  paddleWebhookSecret,
  polarEvent,
  polarOrder,
  polarRefund,
  polarWebhookSecret,
  visitor,
} from '@datafast-checkout/testing';
import type { Order, SubscriptionInvoice } from '@lemonsqueezy/lemonsqueezy.js';
import { Paddle } from '@paddle/paddle-node-sdk';
import { validateEvent } from '@polar-sh/sdk/webhooks';
import {
  WebhookCheckoutCompletedEventEntity$inboundSchema,
  WebhookDisputeCreatedEventEntity$inboundSchema,
  WebhookRefundCreatedEventEntity$inboundSchema,
  WebhookSubscriptionPaidEventEntity$inboundSchema,
} from 'creem/models/components';
import { verifyWebhookSignature as verifyCreem } from 'creem/webhooks';
import DodoPayments from 'dodopayments';
import { describe, expect, it } from 'vitest';
import { creemRequest, paddleRequest, standardWebhookRequest } from './helpers/sign.js';

const url = 'https://shop.example/api/webhooks/provider';
const headersOf = (request: Request) => Object.fromEntries(request.headers);

describe('fixtures and signatures, checked by the providers’ own SDKs', () => {
  it('Polar: @polar-sh/sdk verifies our Standard Webhooks signature and parses every event', async () => {
    const subscriptionOrder = polarOrder(
      { billing_reason: 'subscription_cycle' },
      { subscriptionMetadata: { datafast_visitor_id: visitor } },
    );
    for (const event of [
      polarEvent('order.paid', polarOrder()),
      polarEvent('order.paid', subscriptionOrder),
      polarEvent('refund.created', polarRefund(subscriptionOrder)),
    ]) {
      const request = standardWebhookRequest(url, event, {
        secret: polarWebhookSecret,
        secretEncoding: 'utf8',
      });
      const parsed = validateEvent(await request.text(), headersOf(request), polarWebhookSecret);
      expect(parsed.type).toBe(event.type);
    }
  });

  it('Creem: the creem SDK verifies both signature schemes and parses every event', async () => {
    const subscription = creemSubscription({ metadata: { datafast_visitor_id: visitor } });
    const checkout = creemCheckout(
      {},
      { subscription, metadata: { datafast_visitor_id: visitor } },
    );
    const cases = [
      [
        WebhookCheckoutCompletedEventEntity$inboundSchema,
        creemEvent('checkout.completed', creemCheckout()),
      ],
      [
        WebhookCheckoutCompletedEventEntity$inboundSchema,
        creemEvent('checkout.completed', checkout),
      ],
      [
        WebhookSubscriptionPaidEventEntity$inboundSchema,
        creemEvent('subscription.paid', { ...subscription, last_transaction: creemTransaction() }),
      ],
      [
        WebhookRefundCreatedEventEntity$inboundSchema,
        creemEvent('refund.created', creemRefund({}, { checkout, subscription })),
      ],
      [
        WebhookDisputeCreatedEventEntity$inboundSchema,
        creemEvent('dispute.created', creemDispute({}, { checkout })),
      ],
    ] as const;
    for (const [schema, event] of cases) {
      for (const request of [
        creemRequest(url, event, { secret: creemWebhookSecret }),
        standardWebhookRequest(url, event, { secret: creemWebhookSecret, secretEncoding: 'whsec' }),
      ]) {
        const body = await request.text();
        await expect(
          verifyCreem(body, headersOf(request), creemWebhookSecret),
        ).resolves.toBeUndefined();
        const parsed = schema.safeParse(JSON.parse(body));
        expect(parsed.error?.issues ?? []).toEqual([]);
      }
    }
  });

  it('Paddle: @paddle/paddle-node-sdk verifies our Paddle-Signature and reads the totals', async () => {
    const paddle = new Paddle('pdl_sdbx_apikey_fixture_check');
    const transaction = paddleTransaction();
    for (const event of [
      paddleEvent('transaction.completed', transaction),
      paddleEvent('adjustment.updated', paddleRefund(transaction)),
    ]) {
      const request = paddleRequest(url, event, { secrets: [paddleWebhookSecret] });
      const signature = request.headers.get('paddle-signature') as string;
      const parsed = await paddle.webhooks.unmarshal(
        await request.text(),
        paddleWebhookSecret,
        signature,
      );
      expect(parsed.eventType).toBe(event.event_type);
    }
  });

  it('Dodo Payments: the dodopayments SDK verifies our Standard Webhooks signature', async () => {
    const dodo = new DodoPayments({ bearerToken: 'test_key', webhookKey: dodoWebhookSecret });
    const payment = dodoPayment();
    for (const event of [
      dodoEvent('payment.succeeded', payment),
      dodoEvent('refund.succeeded', dodoRefund(payment)),
      dodoEvent('dispute.lost', dodoDispute(payment)),
    ]) {
      const request = standardWebhookRequest(url, event, {
        secret: dodoWebhookSecret,
        secretEncoding: 'whsec',
      });
      const unwrapped = dodo.webhooks.unwrap(await request.text(), { headers: headersOf(request) });
      expect(unwrapped.type).toBe(event.type);
    }
  });

  it('LemonSqueezy: the order and invoice templates have @lemonsqueezy/lemonsqueezy.js’s attribute types', () => {
    // Compile-time: `pnpm typecheck` fails when a template drifts from the SDK's types.
    const order: Order['data']['attributes'] = lemonSqueezyOrderTemplate;
    const invoice: SubscriptionInvoice['data']['attributes'] = lemonSqueezyInvoiceTemplate;
    expect([order.total, invoice.billing_reason]).toEqual([3599, 'renewal']);
  });
});
