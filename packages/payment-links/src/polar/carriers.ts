import { withVisitorParam } from '../carriers.js';
import { visitorIn } from '../fields.js';
import { carrierParams } from '../link-carriers.js';

/**
 * Adds `?reference_id=<visitor id>` to a Polar checkout link (`https://buy.polar.sh/polar_cl_…`):
 * Polar stores a checkout link's `reference_id` in the checkout's `metadata`, which it copies to
 * the order (and subscription) its webhooks send. The link comes back unchanged when the id is
 * not a visitor UUID, when it already has a `reference_id` (an affiliate tool's: theirs is kept),
 * or when it is not an absolute http(s) URL; other parameters and the fragment stay.
 *
 * @example
 * withPolarReferenceId('https://buy.polar.sh/polar_cl_123', getVisitorId(request))
 */
export function withPolarReferenceId(url: string, visitorId: string | null | undefined): string {
  return withVisitorParam(url, carrierParams.polar, visitorId);
}

/**
 * The visitor in Polar metadata: `datafast_visitor_id` (set by `checkoutMetadata` on checkouts
 * your server creates) first, then a `reference_id` that is a visitor UUID (a checkout link's).
 */
export function visitorInPolarMetadata(...metadata: unknown[]): string | undefined {
  return visitorIn(metadata, ['datafast_visitor_id', carrierParams.polar]);
}
