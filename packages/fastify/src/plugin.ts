import {
  type BoundDatafast,
  bindLazily,
  type Datafast,
  type DatafastClientOrOptions,
  resolveDatafast,
} from '@datafast-checkout/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The DataFast client bound to this request's visitor, set by the `datafast()` plugin where
     * it is registered (and in the contexts inside that one).
     *
     * @example
     * request.datafast.track({ amount: 29.99, currency: 'USD', transaction_id: charge.id })
     */
    datafast: BoundDatafast;
  }
}

/** Options given where the plugin is registered: `app.register(datafast(), { closeTimeoutMs })`. */
export interface DatafastPluginOptions {
  /**
   * Longest wait, on `app.close()`, for the reports still in flight; the rest then reach
   * `onError` with their payment (or stay in the client's outbox). Default 5 000 ms.
   */
  closeTimeoutMs?: number;
}

/** The plugin `datafast()` returns, with the client it reports through. */
export interface DatafastPlugin {
  (instance: FastifyInstance, options: DatafastPluginOptions): Promise<void>;
  /** The client behind every `request.datafast`: use it outside requests. */
  readonly client: Datafast;
}

/**
 * A Fastify 4 and 5 plugin that puts a client bound to the visitor's `datafast_visitor_id` cookie
 * on `request.datafast`. Like a `fastify-plugin` plugin, it decorates the context it is
 * registered in (and the contexts inside it), not only its own: register it at the root for the
 * whole app, or in a child context to scope it there (sibling contexts do not see it). Per
 * request it reads nothing until the route uses `request.datafast` (then the cookie);
 * `request.datafast.track` delivers in the background, so the
 * route never waits for DataFast. `app.close()` waits (at most `closeTimeoutMs`) for reports
 * still in flight, so a graceful stop does not drop them; what is left reaches `onError`.
 * Takes `createDatafast` options (default: the environment) or a client you already have.
 *
 * @example
 * await app.register(datafast())
 */
export function datafast(clientOrOptions?: DatafastClientOrOptions): DatafastPlugin {
  const client = resolveDatafast(clientOrOptions);
  const plugin = async (instance: FastifyInstance, options: DatafastPluginOptions = {}) => {
    const closeTimeoutMs = options.closeTimeoutMs ?? 5_000;
    // Registered twice on one path (a parent and a child): the decoration is already there.
    if (!instance.hasRequestDecorator('datafast'))
      // null until the hook runs (Fastify 5 refuses a shared object as a request decoration).
      instance.decorateRequest('datafast', null as unknown as BoundDatafast);
    instance.addHook('onRequest', (request, _reply, done) => {
      // The cookie is read when the route first uses the client (most requests never report):
      // @fastify/cookie's value when it ran, else the raw header. A missing or malformed id
      // binds no visitor (the report goes out unattributed).
      request.datafast = bindLazily(() => client.forRequest(request));
      done();
    });
    instance.addHook('onClose', async () => {
      // Gives up what is pending at the bound and hands each payment to onError: never lost unreported.
      await client.shutdown(closeTimeoutMs);
    });
  };
  // What fastify-plugin sets (its documented contract): `skip-override` makes the decoration and
  // hook belong to the registering context instead of a new child one; the display name shows in
  // `app.printPlugins()` and in Fastify's errors.
  return Object.defineProperties(plugin, {
    [Symbol.for('skip-override')]: { value: true },
    [Symbol.for('fastify.display-name')]: { value: '@datafast-checkout/fastify' },
    client: { value: client, enumerable: true },
  }) as DatafastPlugin;
}

/**
 * The client bound to this request's visitor, wherever the plugin is or is not registered:
 * `request.datafast` when the `datafast()` plugin ran for the request, else a client bound now
 * through `source` (that plugin, a client, or `createDatafast` options; default the shared client
 * configured from the environment, the one `datafast()` with no arguments uses).
 *
 * @example
 * getDatafast(request).track({ amount: 29.99, currency: 'USD', transaction_id: charge.id })
 */
export function getDatafast(
  request: FastifyRequest,
  source?: DatafastClientOrOptions | DatafastPlugin,
): BoundDatafast {
  // Undefined outside the plugin's contexts, null where it is registered but has not run yet.
  const bound = request.datafast as BoundDatafast | null | undefined;
  if (bound) return bound;
  const client = typeof source === 'function' ? source.client : resolveDatafast(source);
  return client.forRequest(request);
}
