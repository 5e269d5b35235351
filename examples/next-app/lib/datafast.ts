import { createDatafast } from '@datafast-checkout/next';
import { sharedOutbox } from './outbox';
import { logUnreported } from './report-failure';

/**
 * The app's DataFast client on the Node.js runtime. It reads `DATAFAST_API_KEY` and
 * `DATAFAST_BASE_URL` when the first payment is reported, not at build time, so one build runs
 * against any environment.
 *
 * @example
 * export const POST = withDatafast(handler, datafastClient)
 */
export const datafastClient = createDatafast({
  // With DATABASE_URL, reports wait in PostgreSQL until DataFast confirms them (lib/outbox.ts).
  outbox: sharedOutbox(),
  onError: logUnreported,
});
