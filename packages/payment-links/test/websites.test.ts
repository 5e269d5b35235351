// size: website routing through each of the six providers, each with its own event and stand-in.
/**
 * One provider account selling for several DataFast websites: each provider's webhook and
 * success-page helper reports each payment to the website its checkout named (a metadata field)
 * or a route function picked (by product), with that website's own key, on a devserver that has
 * two websites; refunds follow their payment through the lookup that finds its checkout.
 */
import { createDatafast, type Datafast } from '@datafast-checkout/core';
import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import {
  type ApiStandIn,
  checkoutSession,
  creemCheckout,
  creemEvent,
  creemRefund,
  creemTestApiKey,
  creemWebhookSecret,
  dodoEvent,
  dodoPayment,
  dodoRefund,
  dodoWebhookSecret,
  invoice,
  lemonSqueezyEvent,
  lemonSqueezyOrder,
  lemonSqueezyOrderTemplate,
  lemonSqueezyWebhookSecret,
  paddleEvent,
  paddleRefund,
  paddleSandboxApiKey,
  paddleTransaction,
  paddleWebhookSecret,
  polarEvent,
  polarOrder,
  polarRefund,
  polarWebhookSecret,
  refund,
  type StripeStandIn,
  startApiStandIn,
  startStripeStandIn,
  stripeEvent,
  visitor,
  webhookSecret,
} from '@datafast-checkout/testing';
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { creemCheckout as creemCheckoutPage, creemWebhook } from '../src/creem/index.js';
import { dodoPayment as dodoPaymentPage, dodoWebhook } from '../src/dodo/index.js';
import { onPaymentSucceeded, type PaymentResolver, type WebsiteRouting } from '../src/index.js';
import {
  lemonSqueezyOrder as lemonSqueezyOrderPage,
  lemonSqueezyWebhook,
} from '../src/lemonsqueezy/index.js';
import { paddleTransaction as paddleTransactionPage, paddleWebhook } from '../src/paddle/index.js';
import { polarCheckout, polarWebhook } from '../src/polar/index.js';
import {
  checkoutSessionParams,
  stripeCheckoutSession,
  stripeWebhook,
} from '../src/stripe/index.js';
import type { WebhookOptions } from '../src/webhook.js';
import {
  creemRequest,
  lemonSqueezyRequest,
  paddleRequest,
  standardWebhookRequest,
} from './helpers/sign.js';
import { signedRequest } from './helpers/stripe.js';

type Json = Record<string, unknown>;
type Site = 'blog' | 'shop';
const url = 'https://shop.example/api/webhooks/provider';
const websites = [
  { id: 'site-blog', domain: 'blog.example', apiKey: 'df_blog_website_key' },
  { id: 'site-shop', domain: 'shop.example', apiKey: 'df_shop_website_key' },
  { id: 'site-main', domain: 'main.example', apiKey: 'df_main_website_key' },
];

const peers = {} as { dev: DevServer; api: ApiStandIn; stripeApi: StripeStandIn; stripe: Stripe };
let clients: Record<Site | 'main', Datafast>;
beforeAll(async () => {
  peers.dev = await startDevServer({ websites });
  peers.api = await startApiStandIn();
  peers.stripeApi = await startStripeStandIn();
  peers.stripe = new Stripe('sk_test_stand_in', {
    ...peers.stripeApi.clientOptions,
    maxNetworkRetries: 0,
  });
  const client = (apiKey: string) =>
    createDatafast({ apiKey, baseUrl: peers.dev.url, logger: { warn() {}, error() {} } });
  clients = {
    blog: client('df_blog_website_key'),
    shop: client('df_shop_website_key'),
    main: client('df_main_website_key'),
  };
});
beforeEach(async () => {
  await Promise.all(Object.values(clients ?? {}).map((client) => client.flush(5000)));
  await peers.dev.reset();
});
afterAll(async () => {
  await Promise.all([peers.dev?.close(), peers.api?.close(), peers.stripeApi?.close()]);
});

/** What a website received: `[website, transaction_id, refunded]`, in order of arrival. */
const received = () =>
  peers.dev
    .payments()
    .map((payment) => [payment.website_id, payment.transaction_id, Boolean(payment.refunded)]);

/** The checkout's metadata: the visitor, and the website the product belongs to. */
const metadataFor = (site: Site) => ({ datafast_visitor_id: visitor, datafast_website: site });

/** Routing by the metadata field the checkout sets; payments without it go to `main`. */
const byField = (): WebsiteRouting<unknown> => ({
  clients: { blog: clients.blog, shop: clients.shop },
  route: 'datafast_website',
});

interface WebsiteCase {
  name: string;
  webhook(options: WebhookOptions<unknown>): (request: Request) => Promise<Response>;
  /** A paid checkout for `site`: its signed webhook, and its refund's (found by the lookup). */
  paid(site: Site): { request: () => Request; refund: () => Request };
  /** The success page: its resolver, and the URL for a paid checkout of `site` the API knows. */
  successPage: {
    resolver(): PaymentResolver;
    visit(site: Site): string;
    /** How the page routes, when not by the checkout's field. */
    route?: WebsiteRouting['route'];
  };
}

const cases: WebsiteCase[] = [
  {
    name: 'Stripe',
    webhook: (options) =>
      stripeWebhook({ ...options, secret: webhookSecret, stripe: peers.stripe }),
    paid(site) {
      const session = checkoutSession({ metadata: metadataFor(site) });
      peers.stripeApi.addSession(session as { id: string });
      const refunded = refund({ amount: 500, payment_intent: session.payment_intent });
      return {
        request: () => signedRequest(url, stripeEvent('checkout.session.completed', session)),
        refund: () => signedRequest(url, stripeEvent('refund.created', refunded)),
      };
    },
    successPage: {
      resolver: () => stripeCheckoutSession(peers.stripe),
      visit(site) {
        const session = checkoutSession({ metadata: metadataFor(site) });
        peers.stripeApi.addSession(session as { id: string });
        return `https://shop.example/success?session_id=${session.id}`;
      },
    },
  },
  {
    name: 'LemonSqueezy',
    webhook: (options) => lemonSqueezyWebhook({ ...options, secret: lemonSqueezyWebhookSecret }),
    paid(site) {
      const order = lemonSqueezyOrder();
      const sign = (event: Json) =>
        lemonSqueezyRequest(url, event, { secret: lemonSqueezyWebhookSecret });
      const refunded = lemonSqueezyOrder({ refunded_amount: 500 }, order.id as string);
      return {
        request: () => sign(lemonSqueezyEvent('order_created', order, metadataFor(site))),
        refund: () => sign(lemonSqueezyEvent('order_refunded', refunded, metadataFor(site))),
      };
    },
    // LemonSqueezy's API does not return the checkout's custom data: route by product instead.
    successPage: {
      resolver: () => lemonSqueezyOrderPage({ apiKey: 'ls_key', apiBase: peers.api.url }),
      visit(site) {
        const item = {
          ...lemonSqueezyOrderTemplate.first_order_item,
          product_id: site === 'blog' ? 11 : 22,
        };
        const order = lemonSqueezyOrder({ first_order_item: item });
        peers.api.set(`/v1/orders/${order.id}`, { data: order });
        return `https://shop.example/thanks?order_id=${order.id}`;
      },
      route: ({ source }) => {
        const item = (source as { attributes?: { first_order_item?: { product_id?: number } } })
          .attributes?.first_order_item;
        return item?.product_id === 11 ? 'blog' : 'shop';
      },
    },
  },
  {
    name: 'Polar',
    webhook: (options) =>
      polarWebhook({
        ...options,
        secret: polarWebhookSecret,
        accessToken: 'polar_oat_key',
        apiBase: peers.api.url,
      }),
    paid(site) {
      const order = polarOrder({ metadata: metadataFor(site) });
      peers.api.set(`/v1/orders/${order.id}`, order);
      const sign = (event: Json) =>
        standardWebhookRequest(url, event, { secret: polarWebhookSecret, secretEncoding: 'utf8' });
      return {
        request: () => sign(polarEvent('order.paid', order)),
        refund: () =>
          sign(polarEvent('refund.created', polarRefund(order, { amount: 500, tax_amount: 0 }))),
      };
    },
    successPage: {
      resolver: () => polarCheckout({ accessToken: 'polar_oat_key', apiBase: peers.api.url }),
      visit(site) {
        const order = polarOrder({ metadata: metadataFor(site) });
        peers.api.set(
          '/v1/orders/',
          { items: [order] },
          { checkout_id: order.checkout_id as string },
        );
        return `https://shop.example/success?checkout_id=${order.checkout_id}`;
      },
    },
  },
  {
    name: 'Paddle',
    webhook: (options) =>
      paddleWebhook({
        ...options,
        secret: paddleWebhookSecret,
        apiKey: paddleSandboxApiKey,
        apiBase: peers.api.url,
      }),
    paid(site) {
      const transaction = paddleTransaction({ custom_data: metadataFor(site) });
      peers.api.set(`/transactions/${transaction.id}`, { data: transaction });
      const sign = (event: Json) => paddleRequest(url, event, { secrets: [paddleWebhookSecret] });
      return {
        request: () => sign(paddleEvent('transaction.completed', transaction)),
        refund: () => sign(paddleEvent('adjustment.updated', paddleRefund(transaction, {}, '500'))),
      };
    },
    successPage: {
      resolver: () =>
        paddleTransactionPage({ apiKey: paddleSandboxApiKey, apiBase: peers.api.url }),
      visit(site) {
        const transaction = paddleTransaction({ custom_data: metadataFor(site) });
        peers.api.set(`/transactions/${transaction.id}`, { data: transaction });
        return `https://shop.example/thanks?transaction_id=${transaction.id}`;
      },
    },
  },
  {
    name: 'Creem',
    webhook: (options) => creemWebhook({ ...options, secret: creemWebhookSecret }),
    paid(site) {
      const checkout = creemCheckout({}, { metadata: metadataFor(site) });
      const sign = (event: Json) => creemRequest(url, event, { secret: creemWebhookSecret });
      return {
        request: () => sign(creemEvent('checkout.completed', checkout)),
        refund: () =>
          sign(creemEvent('refund.created', creemRefund({ refund_amount: 500 }, { checkout }))),
      };
    },
    successPage: {
      resolver: () => creemCheckoutPage({ apiKey: creemTestApiKey, apiBase: peers.api.url }),
      visit(site) {
        const checkout = creemCheckout({}, { metadata: metadataFor(site) });
        peers.api.set('/v1/checkouts', checkout, { checkout_id: checkout.id as string });
        return `https://shop.example/thanks?checkout_id=${checkout.id}`;
      },
    },
  },
  {
    name: 'Dodo Payments',
    webhook: (options) =>
      dodoWebhook({
        ...options,
        secret: dodoWebhookSecret,
        apiKey: 'dodo_key',
        apiBase: peers.api.url,
      }),
    paid(site) {
      const payment = dodoPayment({ metadata: metadataFor(site) });
      peers.api.set(`/payments/${payment.payment_id}`, payment);
      const sign = (event: Json) =>
        standardWebhookRequest(url, event, { secret: dodoWebhookSecret, secretEncoding: 'whsec' });
      return {
        request: () => sign(dodoEvent('payment.succeeded', payment)),
        refund: () =>
          sign(
            dodoEvent('refund.succeeded', dodoRefund(payment, { amount: 500, is_partial: true })),
          ),
      };
    },
    successPage: {
      resolver: () => dodoPaymentPage({ apiKey: 'dodo_key', apiBase: peers.api.url }),
      visit(site) {
        const payment = dodoPayment({ metadata: metadataFor(site) });
        peers.api.set(`/payments/${payment.payment_id}`, payment);
        return `https://shop.example/success?payment_id=${payment.payment_id}`;
      },
    },
  },
];

describe.each(cases)('$name: one account, several websites', (provider) => {
  it('reports two products’ payments to their two websites by the checkout’s field, and each refund to its payment’s', async () => {
    const webhook = provider.webhook({ datafast: clients.main, websites: byField() });
    const blog = provider.paid('blog');
    const shop = provider.paid('shop');
    for (const request of [blog.request(), shop.request(), blog.refund()]) {
      expect((await webhook(request)).status).toBe(200);
    }
    expect(received().map(([website, , refunded]) => [website, refunded])).toEqual([
      ['site-blog', false],
      ['site-shop', false],
      ['site-blog', true],
    ]);
    expect(peers.dev.payments().every((p) => p.datafast_visitor_id === visitor)).toBe(true);
  });

  it('reports a success page’s payment to the website it belongs to', async () => {
    const { resolver, visit, route } = provider.successPage;
    const errors: unknown[] = [];
    const page = onPaymentSucceeded(
      resolver(),
      (_request, payment) => new Response(payment ? 'paid' : 'none'),
      {
        datafast: clients.main,
        websites: {
          clients: { blog: clients.blog, shop: clients.shop },
          route: route ?? 'datafast_website',
        },
        onError: (error) => errors.push(error),
      },
    );
    for (const site of ['shop', 'blog'] as const) {
      expect(await (await page(new Request(visit(site)))).text()).toBe('paid');
    }
    await Promise.all(Object.values(clients).map((client) => client.flush(5000)));
    expect(errors).toEqual([]);
    expect(received().map(([website]) => website)).toEqual(['site-shop', 'site-blog']);
  });
});

describe('website routing', () => {
  it('sends a payment without the field to the default client, and refuses a website it does not know with 503', async () => {
    const errors: string[] = [];
    const webhook = polarWebhook({
      secret: polarWebhookSecret,
      datafast: clients.main,
      websites: byField(),
      onError: (error) => errors.push(error.message),
    });
    const sign = (event: Json) =>
      standardWebhookRequest(url, event, { secret: polarWebhookSecret, secretEncoding: 'utf8' });
    const plain = polarOrder({ metadata: { datafast_visitor_id: visitor } });
    const unknown = polarOrder({ metadata: { datafast_website: 'podcast' } });
    expect((await webhook(sign(polarEvent('order.paid', plain)))).status).toBe(200);
    const refused = await webhook(sign(polarEvent('order.paid', unknown)));
    expect([
      refused.status,
      ((await refused.json()) as { error: { code: string } }).error.code,
    ]).toEqual([503, 'not_configured']);
    expect(errors).toEqual([
      expect.stringContaining('"podcast", which is not one of websites.clients ("blog", "shop")'),
    ]);
    expect(received().map(([website]) => website)).toEqual(['site-main']);
  });

  it('routes by a function of the event: by product, and by the Stripe payment link a session came from', async () => {
    const polar = polarWebhook({
      secret: polarWebhookSecret,
      datafast: clients.main,
      websites: {
        clients: { blog: clients.blog, shop: clients.shop },
        route: ({ source }) => (source.data?.product_id === 'prod-blog' ? 'blog' : 'shop'),
      },
    });
    const stripe = stripeWebhook({
      secret: webhookSecret,
      datafast: clients.main,
      websites: {
        clients: { blog: clients.blog, shop: clients.shop },
        route: ({ source }) =>
          (source.data?.object as { payment_link?: string } | undefined)?.payment_link ===
          'plink_blog'
            ? 'blog'
            : 'shop',
      },
    });
    const sign = (event: Json) =>
      standardWebhookRequest(url, event, { secret: polarWebhookSecret, secretEncoding: 'utf8' });
    await polar(sign(polarEvent('order.paid', polarOrder({ product_id: 'prod-blog' }))));
    await polar(sign(polarEvent('order.paid', polarOrder({ product_id: 'prod-shop' }))));
    await stripe(
      signedRequest(
        url,
        stripeEvent('checkout.session.completed', checkoutSession({ payment_link: 'plink_shop' })),
      ),
    );
    await stripe(
      signedRequest(
        url,
        stripeEvent('checkout.session.completed', checkoutSession({ payment_link: 'plink_blog' })),
      ),
    );
    expect(received().map(([website]) => website)).toEqual([
      'site-blog',
      'site-shop',
      'site-shop',
      'site-blog',
    ]);
  });

  it('carries the website field through checkoutSessionParams to a subscription’s renewals', async () => {
    const request = new Request('https://blog.example/api/checkout', {
      headers: { cookie: `datafast_visitor_id=${visitor}` },
    });
    const params = checkoutSessionParams(request, 'subscription', { datafast_website: 'blog' });
    expect(params.subscription_data?.metadata).toEqual({
      datafast_visitor_id: visitor,
      datafast_website: 'blog',
    });
    // Without the cookie the website still travels.
    expect(
      checkoutSessionParams(new Request('https://blog.example/'), 'payment', {
        datafast_website: 'shop',
      }),
    ).toEqual({
      metadata: { datafast_website: 'shop' },
      payment_intent_data: { metadata: { datafast_website: 'shop' } },
    });
    const renewal = invoice(
      { shape: 'basil', subscriptionMetadata: params.subscription_data?.metadata ?? {} },
      { billing_reason: 'subscription_cycle' },
    );
    const webhook = stripeWebhook({
      secret: webhookSecret,
      datafast: clients.main,
      websites: byField(),
    });
    expect((await webhook(signedRequest(url, stripeEvent('invoice.paid', renewal)))).status).toBe(
      200,
    );
    expect(peers.dev.payments()).toEqual([
      expect.objectContaining({
        website_id: 'site-blog',
        renewal: true,
        datafast_visitor_id: visitor,
      }),
    ]);
  });
});

describe('chargebacks and their reversal, per website', () => {
  it('Paddle: a chargeback goes to its payment’s website, and its reversal takes it back from there', async () => {
    const transaction = paddleTransaction({ custom_data: metadataFor('shop') });
    peers.api.set(`/transactions/${transaction.id}`, { data: transaction });
    const webhook = paddleWebhook({
      secret: paddleWebhookSecret,
      apiKey: paddleSandboxApiKey,
      apiBase: peers.api.url,
      datafast: clients.main,
      websites: byField(),
    });
    const send = (event: Json) =>
      webhook(paddleRequest(url, event, { secrets: [paddleWebhookSecret] }));
    await send(paddleEvent('transaction.completed', transaction));
    await send(
      paddleEvent('adjustment.created', paddleRefund(transaction, { action: 'chargeback' })),
    );
    expect(received()).toEqual([
      ['site-shop', transaction.id, false],
      ['site-shop', `${transaction.id}_chargeback`, true],
    ]);
    const reversal = paddleRefund(transaction, { action: 'chargeback_reverse' });
    expect((await send(paddleEvent('adjustment.created', reversal))).status).toBe(200);
    expect(received()).toEqual([['site-shop', transaction.id, false]]);
  });
});
