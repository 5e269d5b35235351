import { charge, parseOrder, paymentOf, reportNaively } from '../../../../../checkout.mjs';

// The docs' integration: the API call awaited inside the route.
export async function POST(request) {
  const order = parseOrder(await request.json().catch(() => null));
  if (!order) return Response.json({ error: 'invalid order' }, { status: 400 });
  const paid = charge(order);
  await reportNaively(paymentOf(paid, request.cookies.get('datafast_visitor_id')?.value));
  return Response.json({ transaction_id: paid.id });
}
