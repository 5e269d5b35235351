import type { APIRoute } from 'astro';
import { charge } from '@/lib/payment-processor';

/**
 * POST /api/checkout with JSON `{ "amount": 29.99, "currency": "USD", "email"?: "…" }`: charges
 * through the stand-in processor and answers `{ transaction_id }` at once; the payment goes to
 * DataFast in the background, attributed to the visitor in the request's cookie.
 */
export const POST: APIRoute = async ({ request, locals }) => {
  const body = await request.json().catch(() => undefined);
  if (body === undefined) return Response.json({ error: 'the body must be JSON' }, { status: 400 });
  const problem = checkoutProblem(body);
  if (problem) return Response.json({ error: problem }, { status: 400 });
  const { amount, currency, email } = body as { amount: number; currency: string; email?: string };

  const paid = await charge({ amount, currency: currency.toUpperCase(), email });

  // Reported in the background: the customer gets the answer now, whatever DataFast does.
  // What was charged, not what was asked for; the visitor id comes from the cookie, and the
  // charge id makes retries and repeats count once.
  locals.datafast.track({
    amount: paid.amount,
    currency: paid.currency,
    transaction_id: paid.id,
    email: paid.email,
  });
  return Response.json({ transaction_id: paid.id });
};

function checkoutProblem(body: unknown): string | undefined {
  const { amount, currency, email } = (body ?? {}) as Record<string, unknown>;
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount <= 0) {
    return 'amount must be a positive number in major units, like 29.99';
  }
  if (typeof currency !== 'string' || !/^[a-z]{3}$/i.test(currency)) {
    return 'currency must be a 3-letter ISO 4217 code, like "USD"';
  }
  if (email !== undefined && (typeof email !== 'string' || !email.includes('@'))) {
    return 'email must be an email address';
  }
  return undefined;
}
