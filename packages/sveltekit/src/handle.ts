import {
  type BoundDatafast,
  type Datafast,
  type DatafastOptions,
  isDatafast,
  resolveDatafast,
} from '@datafast-checkout/core';
import { createTrackerProxy, type TrackerProxyOptions } from '@datafast-checkout/core/proxy';
// Types only: nothing of SvelteKit is imported at run time, so the package works with any adapter
// and builds and tests outside a SvelteKit project.
import type { Handle } from '@sveltejs/kit';
import { platformWaitUntil } from './platform.js';
import { answerProxy } from './proxy.js';

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
 * What {@link datafastHandle} takes: a client you already have, or options for a new one, which
 * may also switch on the same-origin tracker proxy (`proxy: true`, or its options).
 *
 * @example
 * const options: DatafastHandleOptions = { maxRetries: 5, onError: (error) => log(error.message), proxy: true }
 */
export type DatafastHandleOptions =
  | Datafast
  | (DatafastOptions & {
      /**
       * Serve DataFast's script and forward its events from this site's origin
       * (`/js/script.js`, `/api/events`), so ad blockers do not cost attribution. The visitor's
       * IP is `event.getClientAddress()`. Uses the client's `baseUrl` unless given its own.
       */
      proxy?: boolean | TrackerProxyOptions;
    });

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
  const { proxy: proxyOption, ...clientOptions } =
    options === undefined || isDatafast(options) ? { proxy: undefined } : options;
  // Resolved once, not per request: the client's queue and configuration outlive every request.
  // The options object itself keys the client (so the same object elsewhere shares it), unless
  // it carries `proxy`; `{ proxy: true }` alone leaves the shared default client.
  const client = resolveDatafast(
    options === undefined || isDatafast(options) || !('proxy' in options)
      ? options
      : Object.keys(clientOptions).length > 0
        ? clientOptions
        : undefined,
  );
  const bindAndResolve: Handle = ({ event, resolve }) => {
    // The raw Cookie header, read once by core: `event.cookies.get` would parse every cookie of
    // the request on each call, and this runs on every request.
    const waitUntil = platformWaitUntil(event.platform);
    event.locals.datafast ??= client.forRequest(event.request, waitUntil && { waitUntil });
    return resolve(event);
  };
  if (!proxyOption) return bindAndResolve;
  // Created now, so that an invalid option fails when the hooks load (as in Express and Next.js)
  // instead of failing every page of the site.
  const proxy = createTrackerProxy({
    baseUrl: clientOptions.baseUrl,
    allowHttp: clientOptions.allowHttp,
    fetch: clientOptions.fetch,
    ...(proxyOption === true ? {} : proxyOption),
  });
  return async (input) => (await answerProxy(proxy, input.event)) ?? bindAndResolve(input);
}
