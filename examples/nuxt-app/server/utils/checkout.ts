/** A validated checkout request: `{ amount, currency, email? }` in major units (29.99). */
export interface CheckoutInput {
  amount: number;
  currency: string;
  email?: string;
}

/**
 * Validates checkout input from a JSON body, so that bad input is a 400 with a message and never
 * reaches the processor.
 *
 * @example
 * const parsed = parseCheckout({ amount: 29.99, currency: 'USD' }) // { ok: true, input: … }
 */
export function parseCheckout(
  body: unknown,
): { ok: true; input: CheckoutInput } | { ok: false; error: string } {
  if (typeof body !== 'object' || body === null) {
    return { ok: false, error: 'expected a JSON object { amount, currency, email? }' };
  }
  const { amount, currency, email } = body as Record<string, unknown>;
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount <= 0) {
    return { ok: false, error: 'amount must be a positive number in major units, e.g. 29.99' };
  }
  if (typeof currency !== 'string' || !/^[A-Za-z]{3}$/.test(currency)) {
    return { ok: false, error: 'currency must be a 3-letter ISO 4217 code, e.g. "USD"' };
  }
  if (email !== undefined && (typeof email !== 'string' || !email.includes('@'))) {
    return { ok: false, error: 'email must be an email address' };
  }
  return { ok: true, input: { amount, currency: currency.toUpperCase(), email } };
}
