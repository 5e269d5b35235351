import { charge, parseOrder } from '../../../../../checkout.mjs';

// Reports nothing: the baseline.
export async function POST(request) {
  const order = parseOrder(await request.json().catch(() => null));
  if (!order) return Response.json({ error: 'invalid order' }, { status: 400 });
  const paid = charge(order);
  return Response.json({ transaction_id: paid.id });
}
