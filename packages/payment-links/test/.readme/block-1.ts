import { getVisitorId } from '@datafast-checkout/payment-links'; // core's exports are re-exported
import { withClientReferenceId } from '@datafast-checkout/payment-links/stripe';

export function buyButton(request: Request): string {
  const href = withClientReferenceId('https://buy.stripe.com/test_123', getVisitorId(request));
  return `<a href="${href}">Buy</a>`;
}

export {};
