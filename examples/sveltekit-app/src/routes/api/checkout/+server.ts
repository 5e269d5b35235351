import { json } from '@sveltejs/kit';
import { parseCheckout } from '$lib/server/checkout';
import { charge } from '$lib/server/payment-processor';
import type { RequestHandler } from './$types';

/** POST { amount, currency, email? } -> 200 { transaction_id }, reported to DataFast meanwhile. */
export const POST: RequestHandler = async ({ request, locals }) => {
  const body: unknown = await request.json().catch(() => undefined);
  const parsed = parseCheckout(body);
  if (!parsed.ok) return json({ error: parsed.error }, { status: 400 });
  const { amount, currency, email } = parsed.input;

  const paid = await charge(amount, currency);

  // Not awaited: the customer gets the answer now, the report is delivered in the background.
  // The visitor id comes from the cookie; a page that cannot send it (another domain, a native
  // app) may pass `datafast_visitor_id` in the body, and an explicit id wins.
  const visitorId = (body as { datafast_visitor_id?: unknown }).datafast_visitor_id;
  locals.datafast.track({
    amount,
    currency,
    transaction_id: paid.id,
    email,
    datafast_visitor_id: typeof visitorId === 'string' ? visitorId : undefined,
  });

  return json({ transaction_id: paid.id });
};
