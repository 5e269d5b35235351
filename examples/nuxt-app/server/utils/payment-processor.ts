// STAND-IN PAYMENT PROCESSOR: replace with your real one (Stripe, PayPal, your billing system).
// It "charges" at once and returns a charge id, as a processor's API would; that id is the
// transaction_id DataFast deduplicates on.

/** A successful charge. */
export interface Charge {
  id: string;
  amount: number;
  currency: string;
}

/**
 * Charges the customer and resolves the processor's charge.
 *
 * @example
 * const { id } = await charge(29.99, 'USD') // id: 'ch_3f9a…'
 */
export async function charge(amount: number, currency: string): Promise<Charge> {
  return {
    id: `ch_${crypto.randomUUID().replaceAll('-', '')}`,
    // Whole cents (a real processor knows each currency's decimals): what was charged can
    // differ from what was asked for.
    amount: Math.round(amount * 100) / 100,
    currency,
  };
}
