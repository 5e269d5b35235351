import { getDatafast } from '@datafast-checkout/astro';
import type { APIRoute } from 'astro';

/** POST { transaction_id } -> 200; datafast() did not run here, so getDatafast binds the visitor. */
export const POST: APIRoute = async (context) => {
  const { transaction_id } = (await context.request.json()) as { transaction_id: string };
  const boundBefore = context.locals.datafast !== undefined;
  getDatafast(context).track({ amount: 29.99, currency: 'USD', transaction_id });
  return Response.json({ transaction_id }, { headers: { 'x-bound-before': String(boundBefore) } });
};
