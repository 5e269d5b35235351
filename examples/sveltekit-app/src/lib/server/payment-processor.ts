// STAND-IN PAYMENT PROCESSOR: replace with your real one (Stripe, PayPal, your billing system).
// It "charges" at once and returns a charge id, as a processor's API would; that id is the
// transaction_id DataFast deduplicates on.

export interface Charge {
  id: string;
  amount: number;
  currency: string;
}

export async function charge(amount: number, currency: string): Promise<Charge> {
  return {
    id: `ch_${crypto.randomUUID().replaceAll('-', '')}`,
    // Whole cents (a real processor knows each currency's decimals): what was charged can
    // differ from what was asked for.
    amount: Math.round(amount * 100) / 100,
    currency,
  };
}
