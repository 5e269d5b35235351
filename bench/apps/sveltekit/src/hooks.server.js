import { datafast } from '@datafast-checkout/sveltekit';

// Our handle runs for the "ours" checkout only, so that the bare request and the other variants
// are an app without this package. DATAFAST_API_KEY and DATAFAST_BASE_URL come from the
// environment; failures after retries are not logged (the bench measures reporting, not logs).
const datafastHandle = datafast({ onError: () => {} });

export const handle = ({ event, resolve }) =>
  event.url.pathname === '/api/checkout/ours' ? datafastHandle({ event, resolve }) : resolve(event);
