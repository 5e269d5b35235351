import { withVisitorParam } from '../carriers.js';
import { carrierParams } from '../link-carriers.js';

/**
 * Adds `?metadata_datafast_visitor_id=<visitor id>` to a Dodo Payments payment link
 * (`https://checkout.dodopayments.com/buy/pdt_…`, test mode `test.checkout.dodopayments.com`):
 * Dodo turns `metadata_`-prefixed link parameters into the payment's `metadata`. The link comes
 * back unchanged when the id is not a visitor UUID, when it already carries that field, or when
 * it is not an absolute http(s) URL; other parameters (`quantity`, `redirect_url`) stay.
 *
 * @example
 * withDodoMetadata('https://checkout.dodopayments.com/buy/pdt_123?quantity=1', getVisitorId(request))
 */
export function withDodoMetadata(url: string, visitorId: string | null | undefined): string {
  return withVisitorParam(url, carrierParams.dodo, visitorId);
}
