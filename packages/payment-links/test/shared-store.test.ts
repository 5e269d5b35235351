/**
 * What webhook handlers remember across events lives in one `store`: several instances sharing
 * one (here two handlers, each with its own per-process queue, as two instances have) behave as
 * one. The PostgreSQL and Redis stores are tested in their own packages with the same contract.
 */
import {
  lemonSqueezyEvent,
  lemonSqueezyOrder,
  lemonSqueezyWebhookSecret,
  visitor,
} from '@datafast-checkout/testing';
import { describe, expect, it } from 'vitest';
import { lemonSqueezyWebhook } from '../src/lemonsqueezy/index.js';
import { memoryStore } from '../src/store.js';
import { suiteDevServer } from './helpers/datafast.js';
import { lemonSqueezyRequest } from './helpers/sign.js';
import { deliver } from './helpers/suite.js';

const url = 'https://shop.example/api/webhooks/lemonsqueezy';
const context = suiteDevServer();
const instance = (store = memoryStore()) =>
  lemonSqueezyWebhook({ secret: lemonSqueezyWebhookSecret, datafast: context.client, store });
const send = (webhook: ReturnType<typeof instance>, event: Record<string, unknown>) =>
  deliver(webhook, lemonSqueezyRequest(url, event, { secret: lemonSqueezyWebhookSecret }));
const refunded = (orderId: string, totalMinor: number) =>
  lemonSqueezyEvent(
    'order_refunded',
    lemonSqueezyOrder({ status: 'partial_refund', refunded_amount: totalMinor }, orderId),
    { datafast_visitor_id: visitor },
  );

describe('a shared store', () => {
  it('two LemonSqueezy instances without an API key end at the latest refund total when two totals race', async () => {
    // DataFast answers slowly and unevenly, so the two replaces (DELETE, then POST) interleave.
    context.dev.setFaults({ latencyMs: { min: 5, max: 60 } });
    const store = memoryStore();
    const [a, b] = [instance(store), instance(store)];
    const orders = Array.from({ length: 8 }, (_, i) => `${9100 + i}`);
    const answers = await Promise.all(
      orders.flatMap((id) => [send(a, refunded(id, 1000)), send(b, refunded(id, 2500))]),
    );
    context.dev.setFaults({});
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
    const amounts = orders.map((id) =>
      context.dev
        .payments()
        .filter((p) => p.transaction_id === `ls_order_${id}_refund`)
        .map((p) => p.amount),
    );
    expect(amounts).toEqual(orders.map(() => [25]));
  });

  it('a redelivery to another instance sharing the store skips DataFast', async () => {
    const store = memoryStore();
    const order = lemonSqueezyEvent('order_created', lemonSqueezyOrder({}, '9200'));
    expect((await send(instance(store), order)).status).toBe(200);
    const posted = context.dev.requests().length;
    expect((await send(instance(store), order)).status).toBe(200);
    expect(context.dev.requests()).toHaveLength(posted);
  });
});
