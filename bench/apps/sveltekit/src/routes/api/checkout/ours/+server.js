import { json } from '@sveltejs/kit';
import { charge, parseOrder, paymentOf } from '../../../../../../checkout.mjs';

// Our handle bound `locals.datafast` to the cookie's visitor; track() delivers in the background.
export async function POST({ request, locals }) {
  const order = parseOrder(await request.json().catch(() => null));
  if (!order) return json({ error: 'invalid order' }, { status: 400 });
  const paid = charge(order);
  locals.datafast.track(paymentOf(paid));
  return json({ transaction_id: paid.id });
}
