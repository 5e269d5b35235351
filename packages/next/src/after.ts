import type { WaitUntil } from '@datafast-checkout/core';
// `.js` because `next` has no `exports` map, so plain Node ESM needs the file name.
import { after } from 'next/server.js';

/**
 * A `waitUntil` that hands the delivery to Next's `after()`, so that it outlives the response
 * (on Vercel and other serverless hosts too). Outside a request scope `after` throws; core's
 * `track` catches that and keeps delivering through its own background queue.
 *
 * @example
 * client.forRequest(request, { waitUntil: afterResponse })
 */
// The promise is already running: `after` only keeps the request's work alive until it settles.
export const afterResponse: WaitUntil = (promise) => after(promise);
