import { type Datafast, type DatafastOptions, isDatafast } from '@datafast-checkout/core';
import type { TrackerProxyOptions } from '@datafast-checkout/core/proxy';
import type { Handle } from '@sveltejs/kit';
import { type DatafastHandle, datafast } from './handle.js';
import { trackerProxyAnswer } from './proxy.js';

/**
 * What {@link datafastHandle} takes: a client you already have, or options for a new one, which
 * may also switch on the same-origin tracker proxy (`proxy: true`, or its options).
 *
 * @deprecated With {@link datafastHandle}: `datafast()` takes a client or `createDatafast`
 * options, and the proxy is its own handle, `datafastProxy()`.
 * @example
 * const options: DatafastHandleOptions = { maxRetries: 5, proxy: true }
 */
export type DatafastHandleOptions =
  | Datafast
  | (DatafastOptions & {
      /**
       * Serve DataFast's script and forward its events from this site's origin
       * (`/js/script.js`, `/api/events`). The visitor's IP is `event.getClientAddress()`. Uses the
       * client's `baseUrl` unless given its own.
       */
      proxy?: boolean | TrackerProxyOptions;
    });

/**
 * The `datafast()` handle, and with `proxy` the tracker proxy in front of it.
 *
 * @deprecated Renamed `datafast()`, the name of the request-bound client's installer in every
 * adapter; with the proxy as its own handle in front: `sequence(datafastProxy(), datafast())`
 * (so an app that only reports never ships the proxy). This name and its `proxy` option keep
 * working.
 * @example
 * export const handle = datafastHandle({ proxy: true }) // now: sequence(datafastProxy(), datafast())
 */
export function datafastHandle(options?: DatafastHandleOptions): DatafastHandle {
  if (options === undefined || isDatafast(options) || !('proxy' in options)) {
    return datafast(options);
  }
  const { proxy: proxyOption, ...clientOptions } = options;
  // `{ proxy: true }` alone leaves the shared default client.
  const handle = datafast(Object.keys(clientOptions).length > 0 ? clientOptions : undefined);
  if (!proxyOption) return handle;
  // Created now, so that an invalid option fails when the hooks load, never on every page.
  const answer = trackerProxyAnswer({
    baseUrl: clientOptions.baseUrl,
    allowHttp: clientOptions.allowHttp,
    fetch: clientOptions.fetch,
    ...(proxyOption === true ? {} : proxyOption),
  });
  const proxied: Handle = async (input) => (await answer(input.event)) ?? handle(input);
  return Object.assign(proxied, { client: handle.client });
}
