import { clientBrand, createDatafast } from './client.js';
import { logPrefix } from './log.js';
import type { DatafastOptions } from './options.js';
import type { Datafast } from './types.js';

/**
 * What every adapter takes: `createDatafast` options, or a client you already made.
 *
 * @example
 * app.use(datafast({ onError: report })) // or datafast(existingClient)
 */
export type DatafastClientOrOptions = Datafast | DatafastOptions;

/** True for a client made by `createDatafast` (from any copy of this package). */
export function isDatafast(value: unknown): value is Datafast {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[clientBrand] === true
  );
}

// One client per options object: adapters resolve options per route or per call, and a client
// (with its queue) per request would defeat the queue's bound. Weak, so discarded options go too.
const clientsByOptions = new WeakMap<DatafastOptions, Datafast>();
let defaultClient: Datafast | undefined;
let clientsFromOptions = 0;
// A handful of option objects is a real app (a route with its own onError); more means an
// options literal written inside a function, which makes a client (and a queue) per call.
const manyClients = 5;

/**
 * The client for what an adapter was given: the client itself, or the one client made for that
 * options object (and one shared default client when given nothing). Pass the same options
 * object every time (a module-level constant): a new object makes a new client, with its own
 * queue that `flush` on another client cannot see. Warns once when that happens repeatedly.
 *
 * @example
 * resolveDatafast(options) === resolveDatafast(options) // true: made once
 */
export function resolveDatafast(source?: DatafastClientOrOptions): Datafast {
  if (source === undefined) {
    defaultClient ??= createDatafast();
    return defaultClient;
  }
  if (isDatafast(source)) return source;
  let client = clientsByOptions.get(source);
  if (!client) {
    client = createDatafast(source);
    clientsByOptions.set(source, client);
    clientsFromOptions += 1;
    if (clientsFromOptions === manyClients) {
      (source.logger ?? console).warn(
        `${logPrefix} ${manyClients} DataFast clients have been made from ${manyClients} different options objects. Each adapter call with a new options object (an object literal inside a function or a handler) makes a new client with its own queue, which defeats the queue bound and flush(). Define the options (or one createDatafast() client) once at module level and pass that.`,
      );
    }
  }
  return client;
}
