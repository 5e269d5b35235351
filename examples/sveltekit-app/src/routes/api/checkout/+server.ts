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
  // What was charged, not what was asked for; the visitor id comes from the cookie.
  locals.datafast.track({
    amount: paid.amount,
    currency: paid.currency,
    transaction_id: paid.id,
    email,
  });

  return json({ transaction_id: paid.id });
};
