import {
  type BoundDatafast,
  type DatafastClientOrOptions,
  resolveDatafast,
} from '@datafast-checkout/core';
import { afterResponse } from './after.js';

/**
 * The second argument Next gives a route handler: `params`, a Promise.
 *
 * @example
 * const { id } = await (context as RouteHandlerContext).params
 */
export interface RouteHandlerContext {
  params: Promise<Record<string, string | string[] | undefined>>;
}

/**
 * A route handler's context with the client bound to the request's visitor added.
 *
 * @example
 * async function POST(request: Request, { params, datafast }: DatafastRouteContext) {}
 */
export type DatafastRouteContext<Context = RouteHandlerContext> = Context & {
  datafast: BoundDatafast;
};

/**
 * Wraps an App Router route handler (Node.js or Edge runtime) so that its context carries
 * `datafast`, a client bound to the visitor in the request's `datafast_visitor_id` cookie (an
 * explicit `datafast_visitor_id` wins; a missing or malformed cookie means unattributed).
 * `datafast.track` reports after the response through `after()`. The rest of the context (`params`) passes
 * through unchanged. Takes `createDatafast` options or a client; one client is made per options
 * object, so pass a module-level one, never an object made per request.
 *
 * @example
 * export const POST = withDatafast(async (request, { datafast }) => { datafast.track(payment); return Response.json(payment) })
 */
export function withDatafast<
  Context = RouteHandlerContext,
  Req extends Request = Request,
  Res extends Response | undefined = Response,
>(
  handler: (request: Req, context: DatafastRouteContext<Context>) => Res | Promise<Res>,
  options?: DatafastClientOrOptions,
): (request: Req, context: Context) => Promise<Res> {
  // Made once: `after()` finds the current request's scope when a report is handed to it.
  const bindOptions = { waitUntil: afterResponse };
  return async (request, context) => {
    const datafast = resolveDatafast(options).forRequest(request, bindOptions);
    // Object.assign rather than `{ ...context, datafast }`, which V8 runs several times slower
    // (a spread followed by a property); `datafast` still wins over a key of the same name.
    return handler(request, Object.assign({}, context, { datafast }));
  };
}
