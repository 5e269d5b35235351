import { createHmac } from 'node:crypto';

/**
 * The `Stripe-Signature` header for a payload, exactly as Stripe makes it
 * (https://docs.stripe.com/webhooks#verify-manually): `t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<payload>" keyed with the whole whsec_ secret>`.
 *
 * @example
 * stripeSignature(payload, 'whsec_…') // 't=1763900000,v1=5257a869…'
 */
export function stripeSignature(
  payload: string,
  secret: string,
  timestamp = Math.floor(Date.now() / 1000),
): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

/** One attempt to deliver an event, as the delivery log shows it. */
export interface DeliveryAttempt {
  /** 1 for the first delivery, then one more per redelivery. */
  attempt: number;
  /** When it was sent (ISO 8601). */
  at: string;
  /** The endpoint's HTTP status, or `null` when it did not answer. */
  status: number | null;
  /** True for a 2xx, which is what Stripe counts as delivered. */
  ok: boolean;
  duration_ms: number;
  /** Why there was no answer (refused connection, timeout). */
  error?: string;
  /** The start of the endpoint's answer, to see why it refused. */
  response?: string;
}

/** How long an endpoint may take to answer, as Stripe allows. */
export const DELIVERY_TIMEOUT_MS = 10_000;
const RESPONSE_SHOWN = 500;

/**
 * POSTs an event's payload to an endpoint, signed with a fresh timestamp as Stripe does on every
 * attempt, and says how it went. Never throws.
 *
 * @example
 * const attempt = await postEvent(url, secret, payload, 1, signal)
 */
export async function postEvent(
  url: string,
  secret: string,
  payload: string,
  attempt: number,
  signal: AbortSignal,
): Promise<DeliveryAttempt> {
  const started = Date.now();
  const at = new Date(started).toISOString();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'stripe-signature': stripeSignature(payload, secret),
        'user-agent': 'datafast-devserver (Stripe stand-in; not Stripe)',
      },
      body: payload,
      redirect: 'manual',
      signal: AbortSignal.any([signal, AbortSignal.timeout(DELIVERY_TIMEOUT_MS)]),
    });
    const text = await response.text().catch(() => '');
    return {
      attempt,
      at,
      status: response.status,
      ok: response.status >= 200 && response.status < 300,
      duration_ms: Date.now() - started,
      ...(text ? { response: text.slice(0, RESPONSE_SHOWN) } : {}),
    };
  } catch (error) {
    // fetch says "fetch failed"; the reason (ECONNREFUSED…) is in its cause, or the cause's errors.
    const cause = (
      error as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } }
    ).cause;
    const reason = cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message;
    const name = (error as Error).name;
    return {
      attempt,
      at,
      status: null,
      ok: false,
      duration_ms: Date.now() - started,
      error:
        name === 'TimeoutError'
          ? `no answer within ${DELIVERY_TIMEOUT_MS} ms`
          : (reason ?? (error as Error).message),
    };
  }
}
