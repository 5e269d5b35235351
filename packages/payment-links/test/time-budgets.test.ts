/**
 * Each provider waits a documented time for a 2xx and counts anything slower as a failure (Polar
 * disables an endpoint after 10 in a row): every webhook answers within its own budget, below
 * its provider's timeout, even when DataFast hangs. And Paddle's signature is checked as Paddle's
 * own SDK checks it, so a server whose clock runs behind Paddle's does not refuse every delivery.
 */
import {
  checkoutSession,
  paddleEvent,
  paddleTransaction,
  paddleWebhookSecret,
  stripeEvent,
  webhookSecret,
} from '@datafast-checkout/testing';
import { Paddle } from '@paddle/paddle-node-sdk';
import { describe, expect, it } from 'vitest';
import { paddleWebhook } from '../src/paddle/index.js';
import { stripeWebhook } from '../src/stripe/index.js';
import { suiteDevServer } from './helpers/datafast.js';
import { providerCases } from './helpers/providers.js';
import { paddleRequest } from './helpers/sign.js';
import { signedRequest, type WebhookAnswer } from './helpers/stripe.js';

const url = 'https://shop.example/api/webhooks/provider';
const context = suiteDevServer();

/** How long each provider waits for our answer, as it documents it (`undefined`: unpublished). */
const providerTimeoutsMs: Record<string, number | undefined> = {
  // https://developer.paddle.com/webhooks/respond-to-webhooks: "respond within five seconds".
  Paddle: 5_000,
  // polarsource/polar docs/integrate/webhooks/delivery: a 2xx "within 10 seconds" (older copies
  // of https://polar.sh/docs/integrate/webhooks/delivery said 20 s: the shorter counts).
  Polar: 10_000,
  // https://docs.dodopayments.com/features/webhooks: "a 10-second timeout window" (15 s on the newer page).
  'Dodo Payments': 10_000,
  // Unpublished (https://docs.lemonsqueezy.com/help/webhooks/webhook-requests,
  // https://docs.creem.io/code/webhooks, https://docs.stripe.com/webhooks give retries only).
  LemonSqueezy: undefined,
  Creem: undefined,
  Stripe: undefined,
};
/** Our budget when the provider publishes no timeout: below the 10 s that Polar and Dodo use. */
const unpublishedBudgetMs: Record<string, number> = { LemonSqueezy: 8_000, Creem: 8_000 };

const webhooks = () => [
  ...providerCases.map((provider) => ({
    name: provider.name,
    webhook: provider.handler({ datafast: context.client, onError() {} }),
    request: () => provider.sign(url, provider.paid().event),
  })),
  {
    name: 'Stripe',
    webhook: stripeWebhook({ secret: webhookSecret, datafast: context.client, onError() {} }),
    request: () => signedRequest(url, stripeEvent('checkout.session.completed', checkoutSession())),
  },
];

describe('webhook time budgets', () => {
  it('answers 5xx within each provider’s own budget, below the provider’s documented timeout, while DataFast hangs', async () => {
    context.dev.setFaults({ failNext: { count: 1000, mode: 'hang' } });
    const answers = await Promise.all(
      webhooks().map(async ({ name, webhook, request }) => {
        const response = await webhook(request());
        const body = (await response.json()) as WebhookAnswer;
        const message = body.error?.message ?? '';
        // The budget ended the delivery (its signal aborted the hung request), nothing else.
        expect(message).toContain('aborted by its signal');
        const budget = Number(/within (\d+) ms/.exec(message)?.[1]);
        return [name, response.status, budget] as const;
      }),
    );
    context.dev.setFaults({});
    expect(answers).toEqual([
      ['LemonSqueezy', 502, 8_000],
      ['Polar', 502, 8_000],
      ['Paddle', 502, 4_000],
      ['Creem', 502, 8_000],
      ['Dodo Payments', 502, 8_000],
      ['Stripe', 502, 10_000],
    ]);
    for (const [name, , budget] of answers) {
      const documented = providerTimeoutsMs[name];
      if (documented === undefined) {
        expect(budget).toBeLessThanOrEqual(unpublishedBudgetMs[name] ?? 10_000);
      } else {
        // At least a second below: the network and the provider's own clock need some of it.
        expect(budget).toBeLessThanOrEqual(documented - 1_000);
      }
    }
    expect(context.dev.payments()).toEqual([]);
  });
});

describe('Paddle signature age', () => {
  it('agrees with Paddle’s SDK on every age: ahead of our clock is accepted, more than 5 s old is refused', async () => {
    const paddle = new Paddle('pdl_sdbx_apikey_clock_check');
    const webhook = paddleWebhook({ secret: paddleWebhookSecret, datafast: context.client });
    const verdicts: Array<[number, boolean, boolean]> = [];
    for (const offset of [-600, -8, -3, 0, 3, 8, 600]) {
      const timestamp = Math.floor(Date.now() / 1000) + offset;
      const event = paddleEvent('transaction.completed', paddleTransaction());
      const request = paddleRequest(url, event, { secrets: [paddleWebhookSecret], timestamp });
      const body = await request.clone().text();
      const signature = request.headers.get('paddle-signature') as string;
      const sdk = await paddle.webhooks.isSignatureValid(body, paddleWebhookSecret, signature);
      const ours = (await webhook(request)).status === 200;
      verdicts.push([offset, ours, sdk]);
    }
    expect(verdicts).toEqual([
      [-600, false, false],
      [-8, false, false],
      [-3, true, true],
      [0, true, true],
      [3, true, true],
      [8, true, true],
      [600, true, true],
    ]);
  });
});
