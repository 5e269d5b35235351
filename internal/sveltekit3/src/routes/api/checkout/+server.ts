import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/** POST { transaction_id } -> 200, reported in the background with the visitor's cookie. */
export const POST: RequestHandler = async ({ request, locals }) => {
  const { transaction_id } = (await request.json()) as { transaction_id: string };
  locals.datafast.track({ amount: 29.99, currency: 'USD', transaction_id });
  return json({ transaction_id });
};
