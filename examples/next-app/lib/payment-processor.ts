// STAND-IN PAYMENT PROCESSOR: replace this file with your real one (Stripe, PayPal, your own
// billing). It "charges" at once and answers a charge id, as a real processor would; nothing is
// charged and nothing leaves the machine.

/** What the stand-in processor answers for a successful charge. */
export interface Charge {
  id: string;
  amount: number;
  currency: string;
}

/**
 * Charges the customer (stand-in: always succeeds).
 *
 * @example
 * const charge = await chargeCustomer({ amount: 29.99, currency: 'USD' }) // { id: 'ch_…', … }
 */
export async function chargeCustomer(order: { amount: number; currency: string }): Promise<Charge> {
  return {
    // Web Crypto, not node:crypto, so that the Edge runtime route can use this file too.
    id: `ch_${crypto.randomUUID().replaceAll('-', '')}`,
    // Whole cents (a real processor knows each currency's decimals): what was charged can
    // differ from what was asked for.
    amount: Math.round(order.amount * 100) / 100,
    currency: order.currency,
  };
}
