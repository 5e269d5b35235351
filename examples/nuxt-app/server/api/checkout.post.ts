/** POST { amount, currency, email? } -> 200 { transaction_id }, reported to DataFast meanwhile. */
export default defineEventHandler(async (event) => {
  // h3's readBody throws a 400 of its own for malformed JSON; the contract's answer is { error }.
  const body: unknown = await readBody(event).catch(() => undefined);
  const parsed = parseCheckout(body);
  if (!parsed.ok) {
    setResponseStatus(event, 400);
    return { error: parsed.error };
  }
  const { amount, currency, email } = parsed.input;

  const paid = await charge(amount, currency);

  // Not awaited: the customer gets the answer now, the report is delivered in the background.
  // What was charged, not what was asked for; the visitor id comes from the cookie, and the
  // charge id makes retries and repeats count once.
  event.context.datafast.track({
    amount: paid.amount,
    currency: paid.currency,
    transaction_id: paid.id,
    email,
  });

  return { transaction_id: paid.id };
});
