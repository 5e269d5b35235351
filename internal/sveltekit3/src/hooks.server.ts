import { datafast, datafastProxy } from '@datafast-checkout/sveltekit';
import type { Handle } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';

// What the sveltekit-app example does, on SvelteKit 3: the tracker proxy and the handle in
// `sequence()`.
const poweredBy: Handle = async ({ event, resolve }) => {
  const response = await resolve(event);
  response.headers.set('x-powered-by', 'sveltekit3');
  return response;
};

export const handle = sequence(datafastProxy(), datafast(), poweredBy);
