import {
  type BoundDatafast,
  bindLazily,
  type Datafast,
  type DatafastClientOrOptions,
  resolveDatafast,
  type WaitUntil,
} from '@datafast-checkout/core';
// Types only: h3 is the app's own (Nitro bundles it); nothing of it is imported here at run time.
import type { H3Event } from 'h3';

declare module 'h3' {
  interface H3EventContext {
    /**
     * The DataFast client bound to this request's visitor (`datafast_visitor_id` cookie), set by
     * the `@datafast-checkout/nuxt` module or the `datafast()` server plugin.
     *
     * @example
     * event.context.datafast.track({ amount: 29.99, currency: 'USD', transaction_id: charge.id })
     */
    datafast: BoundDatafast;
  }
}

/** The part of a Nitro app the server plugin uses: its hooks (Nitro 2's `NitroApp`). */
export interface NitroAppHooks {
  hooks: {
    hook(name: 'request', handler: (event: H3Event) => void): unknown;
    hook(name: 'close', handler: () => Promise<void>): unknown;
  };
}

/** The Nitro plugin `datafast()` returns, with the client it reports through. */
export type DatafastNitroPlugin = ((nitroApp: NitroAppHooks) => void) & {
  /** The client behind every `event.context.datafast`: `drain` it in a cron route, or use it outside requests. */
  readonly client: Datafast;
};

/** Options of the server plugin, besides the client's. */
export interface DatafastPluginOptions {
  /**
   * Longest wait, when Nitro closes (SIGTERM on the Node server), for the reports still in
   * flight; the rest then reach `onError` with their payment (or stay in the client's outbox).
   * Default 5 000 ms.
   */
  closeTimeoutMs?: number;
}

/**
 * A Nitro server plugin that puts a DataFast client bound to the visitor's cookie on
 * `event.context.datafast` for every request, hands its reports to Nitro's `event.waitUntil`
 * (the platform's own on Workers, Vercel and Netlify; tracked by Nitro on Node), and waits for
 * reports still in flight when Nitro closes. The `@datafast-checkout/nuxt` module registers it
 * for you; register it yourself for client options that nuxt.config cannot carry (`onError`, an
 * `outbox`) or in a Nitro app without Nuxt. A `datafast` an earlier plugin set is kept.
 *
 * @example
 * export default datafast({ onError: (error) => log(error) }) // server/plugins/datafast.ts
 */
export function datafast(
  clientOrOptions?: DatafastClientOrOptions,
  options: DatafastPluginOptions = {},
): DatafastNitroPlugin {
  // Resolved once, not per request: the client's queue and configuration outlive every request.
  const client = resolveDatafast(clientOrOptions);
  const closeTimeoutMs = options.closeTimeoutMs ?? 5_000;
  const plugin = (nitroApp: NitroAppHooks) => {
    nitroApp.hooks.hook('request', (event) => {
      // Bound on first use: a request whose route never reports reads no cookie.
      event.context.datafast ??= bindLazily(() => bind(client, event));
    });
    nitroApp.hooks.hook('close', async () => {
      // Gives up what is pending at the bound and hands each payment to onError: never lost unreported.
      await client.shutdown(closeTimeoutMs);
    });
  };
  return Object.assign(plugin, { client });
}

/**
 * The client bound to this request's visitor: `event.context.datafast` when the module or the
 * `datafast()` plugin has run for the request, else a client bound now through `source` (that
 * plugin, a client, or `createDatafast` options; default the shared client configured from the
 * environment, the one the module uses), handing its reports to `event.waitUntil` as the plugin
 * does. Synchronous: the event carries the request.
 *
 * @example
 * getDatafast(event).track({ amount: 29.99, currency: 'USD', transaction_id: charge.id })
 */
export function getDatafast(
  event: H3Event,
  source?: DatafastClientOrOptions | DatafastNitroPlugin,
): BoundDatafast {
  const bound = event.context.datafast;
  if (bound) return bound;
  const client = typeof source === 'function' ? source.client : resolveDatafast(source);
  return bind(client, event);
}

/** `client` bound to the Cookie header of `event`'s request, with Nitro's `waitUntil` if any. */
function bind(client: Datafast, event: H3Event): BoundDatafast {
  // Nitro sets `event.waitUntil` on every request (h3 alone has none): on Workers, Vercel and
  // Netlify it is the platform's; on Node, Nitro tracks the promise.
  const waitUntil = (event as { waitUntil?: unknown }).waitUntil;
  // The Node request's raw Cookie header (Nitro gives one on every preset), read once by core.
  return client.forRequest(
    event.node.req,
    typeof waitUntil === 'function' ? { waitUntil: waitUntil.bind(event) as WaitUntil } : undefined,
  );
}
