// STAND-IN PAYMENT PROCESSOR. It charges nothing: it answers the way a real processor's API
// would, with the id of a successful charge. Replace `charge` with your processor's call
// (Stripe, PayPal, Braintree, your billing system) and keep the rest of the route as it is.
import { randomBytes } from 'node:crypto';

/** A successful charge, as the processor answers it. */
export interface Charge {
  id: string;
  amount: number;
  currency: string;
  email?: string;
  status: 'succeeded';
}

/**
 * Charges the customer and resolves the processor's charge.
 *
 * @example
 * const { id } = await charge({ amount: 29.99, currency: 'USD' }) // id: 'ch_3f9a…'
 */
export async function charge(order: {
  amount: number;
  currency: string;
  email?: string;
}): Promise<Charge> {
  return {
    id: `ch_${randomBytes(12).toString('hex')}`,
    // Whole cents (a real processor knows each currency's decimals): what was charged can
    // differ from what was asked for.
    amount: Math.round(order.amount * 100) / 100,
    currency: order.currency,
    email: order.email,
    status: 'succeeded',
  };
}
