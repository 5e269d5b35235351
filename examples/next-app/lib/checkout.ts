import type { BoundDatafast } from '@datafast-checkout/next';
import { chargeCustomer } from './payment-processor';

/** What a checkout answers: the charge id, or why the input was refused (a 400). */
export type CheckoutResult = { transaction_id: string } | { error: string };

/**
 * Validates an order, charges it and reports the payment to DataFast in the background: the
 * customer gets the answer now, DataFast hears about it after the response. Shared by every
 * checkout route of this app (route handlers, Edge, Server Action, Pages Router).
 *
 * @example
 * const result = await checkout({ amount: 29.99, currency: 'USD' }, datafast)
 */
export async function checkout(body: unknown, datafast: BoundDatafast): Promise<CheckoutResult> {
  const order = parseOrder(body);
  if ('error' in order) return order;
  const charge = await chargeCustomer(order);
  datafast.track({
    amount: charge.amount,
    currency: charge.currency,
    // The processor's own id: a retried report of the same charge is counted once.
    transaction_id: charge.id,
    customer_email: order.email,
    // No datafast_visitor_id: `datafast` is bound to the visitor in the request's cookie.
  });
  return { transaction_id: charge.id };
}

interface Order {
  amount: number;
  currency: string;
  email?: string;
}

function parseOrder(body: unknown): Order | { error: string } {
  if (typeof body !== 'object' || body === null) return { error: 'expected a JSON object' };
  const { amount, currency, email } = body as Record<string, unknown>;
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount <= 0) {
    return { error: 'amount must be a positive number' };
  }
  if (typeof currency !== 'string' || !/^[A-Za-z]{3}$/.test(currency)) {
    return { error: 'currency must be a 3-letter code such as "USD"' };
  }
  if (email !== undefined && typeof email !== 'string') return { error: 'email must be a string' };
  return { amount, currency: currency.toUpperCase(), email };
}
