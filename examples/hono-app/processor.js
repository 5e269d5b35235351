// STAND-IN PAYMENT PROCESSOR. It charges nothing: it answers the way a real processor's API
// would, with the id of a successful charge. Replace `charge` with your processor's call
// (Stripe, PayPal, Braintree, your billing system) and keep the rest of the route as it is.
import { randomBytes } from 'node:crypto';

/**
 * Charges the customer and resolves the processor's charge.
 *
 * @example
 * const { id } = await charge({ amount: 29.99, currency: 'USD' }) // id: 'ch_3f9a…'
 */
export async function charge({ amount, currency, email }) {
  return {
    id: `ch_${randomBytes(12).toString('hex')}`,
    // Whole cents (a real processor knows each currency's decimals): what was charged can
    // differ from what was asked for.
    amount: Math.round(amount * 100) / 100,
    currency,
    email,
    status: 'succeeded',
  };
}
