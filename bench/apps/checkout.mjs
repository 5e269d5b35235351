// What every bench app's checkout route does besides reporting, the same in each framework and
// each variant, as the examples do: validate the order, "charge" it through a stand-in processor
// (no I/O, like examples/*/processor), answer the charge id. Only the reporting line differs.

/** `{ amount, currency, email? }` or `undefined` when the order is invalid (answered 400). */
export function parseOrder(body) {
  if (typeof body !== 'object' || body === null) return undefined;
  const { amount, currency, email } = body;
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount <= 0) return undefined;
  if (typeof currency !== 'string' || !/^[A-Za-z]{3}$/.test(currency)) return undefined;
  if (email !== undefined && typeof email !== 'string') return undefined;
  return { amount, currency: currency.toUpperCase(), email };
}

/** The stand-in processor: a successful charge with a fresh id. */
export function charge(order) {
  return {
    id: `ch_${crypto.randomUUID().replaceAll('-', '')}`,
    amount: Math.round(order.amount * 100) / 100,
    currency: order.currency,
    email: order.email,
  };
}

/** The payment to report for a charge, in DataFast's field names. */
export function paymentOf(paid, visitorId) {
  return {
    amount: paid.amount,
    currency: paid.currency,
    transaction_id: paid.id,
    email: paid.email,
    datafast_visitor_id: visitorId,
  };
}

/**
 * The integration DataFast's docs show (api-docs "Create a payment", Node.js/Express): the API
 * call awaited inside the checkout request, errors logged and swallowed.
 */
export async function reportNaively(payment) {
  try {
    await fetch(`${process.env.DATAFAST_BASE_URL}/api/v1/payments`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${process.env.DATAFAST_API_KEY}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(payment),
    });
  } catch (error) {
    console.error('Error tracking payment:', error);
  }
}
