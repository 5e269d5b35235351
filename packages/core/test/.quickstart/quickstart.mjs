import { createDatafast, getVisitorId, toMajorUnits } from '@datafast-checkout/core';

// One client per process. Reads DATAFAST_API_KEY (and DATAFAST_BASE_URL) from the environment.
const datafast = createDatafast();

// In your checkout route, once the charge has succeeded:
export function reportCharge(request, charge) {
  datafast.track({
    amount: toMajorUnits(charge.amount, charge.currency), // 2999 (cents) -> 29.99
    currency: charge.currency,
    transaction_id: charge.id, // DataFast deduplicates on it: retries never double-count
    datafast_visitor_id: getVisitorId(request), // the visitor's cookie; undefined is fine
    email: charge.email,
  });
}

// Where the process stops (a script's end, a shutdown hook), let background reports finish:
export const shutdown = () => datafast.flush(5000);
