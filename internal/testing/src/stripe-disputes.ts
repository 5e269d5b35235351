/**
 * A Stripe dispute (a chargeback), as `charge.dispute.*` events carry it. Shaped after
 * https://docs.stripe.com/api/disputes/object (ids `du_…`, `status` `lost` / `won` once closed).
 */
type Json = Record<string, unknown>;
let counter = 0;

/** A closed, lost dispute of a PaymentIntent's charge, for its full 29.99 USD by default. */
export function stripeDispute(overrides: Json = {}): Json {
  counter += 1;
  return {
    id: `du_1QTestDispute${counter.toString().padStart(6, '0')}`,
    object: 'dispute',
    amount: 2999,
    balance_transactions: [],
    charge: `ch_3QTestDisputed${counter}`,
    created: 1764000000,
    currency: 'usd',
    enhanced_eligibility_types: [],
    evidence_details: {
      due_by: 1764900000,
      has_evidence: true,
      past_due: false,
      submission_count: 1,
    },
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent: `pi_3QTestDisputed${counter}`,
    payment_method_details: { card: { brand: 'visa', network_reason_code: '10.4' }, type: 'card' },
    reason: 'fraudulent',
    status: 'lost',
    ...overrides,
  };
}
