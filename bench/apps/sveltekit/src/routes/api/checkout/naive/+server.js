import { json } from '@sveltejs/kit';
import { charge, parseOrder, paymentOf, reportNaively } from '../../../../../../checkout.mjs';

// The docs' integration: the API call awaited inside the route.
export async function POST({ request, cookies }) {
  const order = parseOrder(await request.json().catch(() => null));
  if (!order) return json({ error: 'invalid order' }, { status: 400 });
  const paid = charge(order);
  await reportNaively(paymentOf(paid, cookies.get('datafast_visitor_id')));
  return json({ transaction_id: paid.id });
}
