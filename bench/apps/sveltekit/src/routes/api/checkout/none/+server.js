import { json } from '@sveltejs/kit';
import { charge, parseOrder } from '../../../../../../checkout.mjs';

// Reports nothing: the baseline.
export async function POST({ request }) {
  const order = parseOrder(await request.json().catch(() => null));
  if (!order) return json({ error: 'invalid order' }, { status: 400 });
  const paid = charge(order);
  return json({ transaction_id: paid.id });
}
