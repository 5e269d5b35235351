import { datafastHandle } from '@datafast-checkout/sveltekit';
import type { Handle, RequestHandler } from '@sveltejs/kit';

export const handle: Handle = datafastHandle({ maxRetries: 1 });

export const POST: RequestHandler = ({ locals }) => {
  const visitorId: string | undefined = locals.datafast.visitorId;
  locals.datafast.track({ amount: 29.99, currency: 'USD', transaction_id: 'ch_1' });
  locals.user = null;
  // @ts-expect-error: only declared locals exist
  locals.somethingElse;
  return new Response(visitorId);
};
