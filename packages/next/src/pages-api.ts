import {
  type BoundDatafast,
  type DatafastClientOrOptions,
  resolveDatafast,
} from '@datafast-checkout/core';
import type { NextApiRequest, NextApiResponse } from 'next';

/**
 * A Pages Router API route that also receives the client bound to the request's visitor.
 *
 * @example
 * const route: DatafastApiHandler = (req, res, datafast) => res.json({ visitor: datafast.visitorId })
 */
export type DatafastApiHandler<Data = unknown> = (
  req: NextApiRequest,
  res: NextApiResponse<Data>,
  datafast: BoundDatafast,
) => unknown | Promise<unknown>;

/**
 * Wraps a Pages Router API route: the handler gets a third argument, a client bound to the
 * visitor in `req.cookies.datafast_visitor_id` (missing or malformed means unattributed). Pages
 * Router has no `after()`: `track` delivers in the process's background queue, which a
 * long-lived `next start` keeps running; on serverless hosts pass `waitUntil` (e.g. from
 * `@vercel/functions`) in the options (on Vercel's Node.js runtime the client finds it by
 * itself). Pass a module-level client or options object: one client is made per object.
 *
 * @example
 * export default withDatafastApi(async (req, res, datafast) => { datafast.track(payment); res.json(payment) })
 */
export function withDatafastApi<Data = unknown>(
  handler: DatafastApiHandler<Data>,
  options?: DatafastClientOrOptions,
): (req: NextApiRequest, res: NextApiResponse<Data>) => Promise<void> {
  return async (req, res) => {
    // Next's parsed `req.cookies` first, the raw header otherwise (plain Node).
    await handler(req, res, resolveDatafast(options).forRequest(req));
  };
}
