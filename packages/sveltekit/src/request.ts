import {
  type BoundDatafast,
  type DatafastClientOrOptions,
  resolveDatafast,
} from '@datafast-checkout/core';
import type { RequestEvent } from '@sveltejs/kit';
import type { DatafastHandle } from './handle.js';
import { platformWaitUntil } from './platform.js';

/**
 * The client bound to this request's visitor: `event.locals.datafast` when the `datafast()` handle
 * has run for the request, else a client bound now through `source` (that handle, a client, or
 * `createDatafast` options; default the shared client configured from the environment, the one
 * `datafast()` with no arguments uses), handing its reports to the adapter's `waitUntil` as the
 * handle does.
 * Synchronous, like Express's `getDatafast(req)`: the event carries the request.
 *
 * @example
 * getDatafast(event).track({ amount: 29.99, currency: 'USD', transaction_id: charge.id })
 */
export function getDatafast(
  event: Pick<RequestEvent, 'request' | 'locals' | 'platform'>,
  source?: DatafastClientOrOptions | DatafastHandle,
): BoundDatafast {
  const bound = (event.locals as { datafast?: BoundDatafast }).datafast;
  if (bound) return bound;
  const client = typeof source === 'function' ? source.client : resolveDatafast(source);
  const waitUntil = platformWaitUntil(event.platform);
  return client.forRequest(event.request, waitUntil && { waitUntil });
}
