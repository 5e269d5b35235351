import { createDatafast } from '@datafast-checkout/next';
import { logUnreported } from './report-failure';

/**
 * The client of the Edge runtime's route: the same, without the PostgreSQL outbox (`pg` needs
 * Node's TCP sockets, which Edge functions do not have; Neon's serverless driver would). Its
 * reports are delivered from memory, kept alive by `after()`.
 *
 * @example
 * export const POST = withDatafast(handler, datafastEdgeClient)
 */
export const datafastEdgeClient = createDatafast({ onError: logUnreported });
