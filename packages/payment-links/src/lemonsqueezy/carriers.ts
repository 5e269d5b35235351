import { withVisitorParam } from '../carriers.js';
import { carrierParams } from '../link-carriers.js';

/**
 * Adds `?checkout[custom][datafast_visitor_id]=<visitor id>` to a LemonSqueezy checkout link
 * (`https://<store>.lemonsqueezy.com/buy/…` or `/checkout/buy/…`): LemonSqueezy keeps custom
 * checkout data on the order and its subscription and sends it back in every webhook's
 * `meta.custom_data`. The link comes back unchanged when the id is not a visitor UUID, when it
 * already carries that field, or when it is not an absolute http(s) URL; other parameters
 * (`checkout[email]`, `embed`, UTM tags) and the fragment stay.
 *
 * @example
 * withLemonSqueezyCustomData('https://shop.lemonsqueezy.com/buy/0c2f…', getVisitorId(request))
 */
export function withLemonSqueezyCustomData(
  url: string,
  visitorId: string | null | undefined,
): string {
  return withVisitorParam(url, carrierParams.lemonsqueezy, visitorId);
}
