import { withDatafast } from '@datafast-checkout/next';
import { charge, parseOrder, paymentOf } from '../../../../../checkout.mjs';
import { datafastClient } from '../../../../lib/datafast.js';

// Our adapter: `datafast` is bound to the cookie's visitor; the report runs in after().
export const POST = withDatafast(async (request, { datafast }) => {
  const order = parseOrder(await request.json().catch(() => null));
  if (!order) return Response.json({ error: 'invalid order' }, { status: 400 });
  const paid = charge(order);
  datafast.track(paymentOf(paid));
  return Response.json({ transaction_id: paid.id });
}, datafastClient);
