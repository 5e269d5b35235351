import type { APIRoute } from 'astro';

/** POST { transaction_id, datafast_visitor_id? } -> 200, reported in the background. */
export const POST: APIRoute = async ({ request, locals }) => {
  const order = (await request.json()) as { transaction_id: string; datafast_visitor_id?: string };
  locals.datafast.track({ amount: 29.99, currency: 'USD', ...order });
  return Response.json({ transaction_id: order.transaction_id });
};
