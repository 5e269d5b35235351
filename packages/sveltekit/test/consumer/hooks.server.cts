import { datafast, datafastProxy, getDatafast } from '@datafast-checkout/sveltekit';
import type { Handle, RequestHandler } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';

const reporting = datafast({ maxRetries: 1 });
export const handle: Handle = sequence(datafastProxy(), reporting);

export const POST: RequestHandler = (event) => {
  const { locals } = event;
  const visitorId: string | undefined = getDatafast(event, reporting).visitorId;
  locals.datafast.track({ amount: 29.99, currency: 'USD', transaction_id: 'ch_1' });
  locals.user = null;
  // @ts-expect-error: only declared locals exist
  locals.somethingElse;
  return new Response(visitorId);
};
