import {
  type BoundDatafast,
  type Datafast,
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
       * the `datafast()` handle. An identical declaration in your own `app.d.ts` merges with this one.
       */
      datafast: BoundDatafast;
    }
  }
}

/** The handle `datafast()` returns, with the client it reports through. */
export type DatafastHandle = Handle & {
  /** The client behind every `locals.datafast`: `drain` it in a cron route, or use it outside requests. */
  readonly client: Datafast;
};

/**
 * A SvelteKit `handle` hook that puts a DataFast client bound to the visitor's cookie on
 * `event.locals.datafast`. Reports made with `track` are handed to the adapter's `waitUntil`
 * (`platform.ctx` or `platform.context`) when it has one, else to the `waitUntil` in the
 * options (serverless hosts whose adapter has none), else delivered by the client's own
 * background queue. Call it once, in `hooks.server.ts`: each call with a new options object makes
 * a new client. Composes with `sequence()`: a `locals.datafast` set earlier is kept. The tracker
 * proxy is its own handle, `datafastProxy()`.
 *
 * @example
 * export const handle = sequence(datafast(), myOtherHandle) // src/hooks.server.ts
 */
export function datafast(clientOrOptions?: DatafastClientOrOptions): DatafastHandle {
  // Resolved once, not per request: the client's queue and configuration outlive every request.
  const client = resolveDatafast(clientOrOptions);
  const handle: Handle = ({ event, resolve }) => {
    // The raw Cookie header, read once by core: `event.cookies.get` would parse every cookie of
    // the request on each call, and this runs on every request.
    const waitUntil = platformWaitUntil(event.platform);
    event.locals.datafast ??= client.forRequest(event.request, waitUntil && { waitUntil });
    return resolve(event);
  };
  return Object.assign(handle, { client });
}
