import type { WaitUntil } from '@datafast-checkout/core';
// The namespace, not named imports: `after` exists from Next 15.1, `unstable_after` only in 15.0,
// neither in 14, and a named import of a missing export would break the bundle on older versions.
// `.js` because `next` has no `exports` map, so plain Node ESM needs the file name.
import * as nextServer from 'next/server.js';

type After = (task: Promise<unknown>) => void;

/**
 * A `waitUntil` that hands the delivery to Next's `after()`, so that it outlives the response
 * (on Vercel and other serverless hosts too), or `undefined` where this Next has no `after`.
 * Outside a request scope `after` throws; core's `track` catches that and keeps delivering
 * through its own background queue.
 *
 * @example
 * client.forRequest(request, { waitUntil: afterResponse() })
 */
export function afterResponse(): WaitUntil | undefined {
  const server = nextServer as { after?: After; unstable_after?: After };
  const after = server.after ?? server.unstable_after;
  // The promise is already running: `after` only keeps the request's work alive until it settles.
  return after && ((promise) => after(promise));
}
