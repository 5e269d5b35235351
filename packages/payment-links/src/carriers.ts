import {
  type CookieSource,
  getSessionId,
  getVisitorId,
  normalizeVisitorId,
  SESSION_COOKIE,
  VISITOR_COOKIE,
} from '@datafast-checkout/core';
import { withQueryParam } from './link.js';

/**
 * The DataFast ids a checkout carries: `datafast_visitor_id` and `datafast_session_id`. A type
 * (not an interface), so it fits every SDK's metadata record type as it is.
 */
export type DatafastMetadata = {
  datafast_visitor_id?: string;
  datafast_session_id?: string;
};

/**
 * The request's DataFast visitor and session ids as checkout metadata, ready for any provider's
 * metadata field: LemonSqueezy `checkout_data.custom`, Polar and Creem `metadata`, Paddle
 * `custom_data` (Paddle.js `customData`), Dodo Payments `metadata`. Each provider copies it to
 * the order, subscription or payment its webhooks send, where the handlers read it back. Empty
 * when the request has no (valid) DataFast cookie; merge your own keys in beside it.
 *
 * @example
 * await polar.checkouts.create({ products: [productId], metadata: checkoutMetadata(request) })
 */
export function checkoutMetadata(request: CookieSource): DatafastMetadata {
  const metadata: DatafastMetadata = {};
  const visitor = getVisitorId(request);
  const session = getSessionId(request);
  if (visitor) metadata[VISITOR_COOKIE] = visitor;
  if (session) metadata[SESSION_COOKIE] = session;
  return metadata;
}

/**
 * Adds `param=<visitor id>` to a checkout link unless the id is not a visitor UUID, the link
 * already carries `param` (an affiliate tool's value is kept), or the link is not an absolute
 * http(s) URL. Everything else in the link, fragment included, stays as it was.
 */
export function withVisitorParam(
  url: string,
  param: string,
  visitorId: string | null | undefined,
): string {
  const id = normalizeVisitorId(visitorId);
  return id ? withQueryParam(url, param, id) : url;
}
