import {
  type BoundDatafast,
  type DatafastClientOrOptions,
  resolveDatafast,
} from '@datafast-checkout/core';
// Types only: nothing of SvelteKit is imported at run time, so the package works with any adapter
// and builds and tests outside a SvelteKit project.
import type { Handle } from '@sveltejs/kit';
import { platformWaitUntil } from './platform.js';

declare global {
  namespace App {
    interface Locals {
      /**
       * The DataFast client bound to this request's visitor (`datafast_visitor_id` cookie), set by
       * `datafastHandle()`. An identical declaration in your own `app.d.ts` merges with this one.
       */
      datafast: BoundDatafast;
    }
  }
}

/**
 * What {@link datafastHandle} takes: options for a new client, or a client you already have.
 *
 * @example
 * const options: DatafastHandleOptions = { maxRetries: 5, onError: (error) => log(error.message) }
 */
export type DatafastHandleOptions = DatafastClientOrOptions;

/**
 * A SvelteKit `handle` hook that puts a DataFast client bound to the visitor's cookie on
 * `event.locals.datafast`. Reports made with `track` are handed to the adapter's `waitUntil`
 * (`platform.ctx` or `platform.context`) when it has one, else to the `waitUntil` in the
 * options (serverless hosts whose adapter has none), else delivered by the client's own
 * background queue. Call it once, in `hooks.server.ts`: each call with a new options object makes
 * a new client. Composes with `sequence()`: a `locals.datafast` set earlier is kept.
 *
 * @example
 * export const handle = sequence(datafastHandle(), myOtherHandle) // src/hooks.server.ts
 */
export function datafastHandle(options?: DatafastHandleOptions): Handle {
  // Resolved once, not per request: the client's queue and configuration outlive every request.
  const client = resolveDatafast(options);
  return ({ event, resolve }) => {
    // The raw Cookie header, read once by core: `event.cookies.get` would parse every cookie of
    // the request on each call, and this runs on every request.
    const waitUntil = platformWaitUntil(event.platform);
    event.locals.datafast ??= client.forRequest(event.request, waitUntil && { waitUntil });
    return resolve(event);
  };
}
