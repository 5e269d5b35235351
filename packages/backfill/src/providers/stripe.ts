import { type Json, stripeEventPayments } from '@datafast-checkout/payment-links/backfill';
import { objects, readPage } from '../pages.js';
import type { ListedEvent, Listing, ProviderSource, TimeRange } from '../source.js';
import { stripeRestClient } from './stripe-client.js';

/**
 * Stripe: every object its webhook reports, listed newest first with `created[gte]`/`created[lt]`
 * and `limit=100`, the next page `starting_after` the last id while `has_more`
 * (https://docs.stripe.com/api/pagination), each as the event the webhook gets for it:
 * - Checkout Sessions, `status=complete` (https://docs.stripe.com/api/checkout/sessions/list) as
 *   `checkout.session.completed`;
 * - invoices, `status=paid` (https://docs.stripe.com/api/invoices/list) as `invoice.paid`;
 * - refunds (https://docs.stripe.com/api/refunds/list) as `refund.created`;
 * - disputes (https://docs.stripe.com/api/disputes/list) as `charge.dispute.closed`.
 * Stripe answers 429 with no `Retry-After` header documented; the backoff covers it
 * (https://docs.stripe.com/rate-limits).
 */
export const stripeSource: ProviderSource = {
  name: 'stripe',
  label: 'Stripe',
  keyEnv: 'STRIPE_SECRET_KEY',
  baseEnv: 'STRIPE_API_BASE',
  api: (apiKey, apiBase) => ({
    name: 'Stripe API',
    base: apiBase ?? 'https://api.stripe.com',
    headers: { authorization: `Bearer ${apiKey}` },
  }),
  listings: (api) => {
    const live = /^(sk|rk)_live_/.test(
      (api.headers.authorization ?? '').replace(/^Bearer\s+/i, ''),
    );
    const list = (
      name: string,
      path: string,
      filter: Record<string, string>,
      type: (object: Json) => string,
    ): Listing => ({
      name,
      async page(cursor, range, { retry, pageSize }) {
        const body = await readPage(
          api,
          path,
          {
            ...filter,
            ...createdFilter(range),
            limit: String(pageSize ?? 100),
            ...(cursor ? { starting_after: cursor } : {}),
          },
          retry,
        );
        const data = objects(body.data);
        const events = data.map((object): ListedEvent => {
          const id = String(object.id);
          const event = {
            id: `backfill_${id}`,
            type: type(object),
            created: object.created,
            data: { object },
          };
          // A live key lists live objects only; a test object under one is left out, never reported.
          return live && object.livemode === false
            ? { id, event, skip: 'test mode' }
            : { id, event };
        });
        return { events, next: body.has_more === true ? data.at(-1)?.id?.toString() : undefined };
      },
    });
    return [
      list(
        'checkout_sessions',
        '/v1/checkout/sessions',
        { status: 'complete' },
        () => 'checkout.session.completed',
      ),
      list('invoices', '/v1/invoices', { status: 'paid' }, () => 'invoice.paid'),
      list('refunds', '/v1/refunds', {}, () => 'refund.created'),
      list('disputes', '/v1/disputes', {}, () => 'charge.dispute.closed'),
    ];
  },
  payments: (apiKey, apiBase, onError) =>
    stripeEventPayments({ stripe: stripeRestClient(stripeSource.api(apiKey, apiBase)), onError }),
};

function createdFilter(range: TimeRange): Record<string, string> {
  return {
    'created[gte]': String(Math.floor(range.since.getTime() / 1000)),
    'created[lt]': String(Math.ceil(range.until.getTime() / 1000)),
  };
}
