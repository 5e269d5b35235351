import { withVisitorParam } from '../carriers.js';
import { carrierParams } from '../link-carriers.js';

/**
 * Adds `?metadata[datafast_visitor_id]=<visitor id>` to a Creem payment link
 * (`https://www.creem.io/payment/prod_…`, test mode `…/test/payment/…`): Creem stores link
 * metadata on the checkout and its subscription, and sends it back in `checkout.completed`,
 * `subscription.paid` and `refund.created`. The link comes back unchanged when the id is not a
 * visitor UUID, when it already carries that field, or when it is not an absolute http(s) URL;
 * other parameters and the fragment stay.
 *
 * @example
 * withCreemMetadata('https://www.creem.io/payment/prod_123', getVisitorId(request))
 */
export function withCreemMetadata(url: string, visitorId: string | null | undefined): string {
  return withVisitorParam(url, carrierParams.creem, visitorId);
}
