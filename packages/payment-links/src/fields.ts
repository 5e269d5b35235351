import {
  type MinorUnitConvention,
  normalizeVisitorId,
  type PaymentInput,
  toMajorUnits,
  VISITOR_COOKIE,
} from '@datafast-checkout/core';

/**
 * Readers that every provider's mapping shares. Webhook payloads are read defensively: a field
 * of the wrong type is treated as absent, never trusted and never a crash.
 */

/** A JSON object. */
export type Json = Record<string, unknown>;

/** `value` when it is a JSON object (not an array, not `null`). */
export function record(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : undefined;
}

/** `value` when it is a non-empty string. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `value` as an id: a non-empty string, or a number (LemonSqueezy's ids) as its digits. */
export function idText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return text(value);
}

/**
 * Minor units as the exact integer they are: a safe integer, or a string of digits (Paddle sends
 * amounts as strings) read with `BigInt`, so no amount ever passes through a float. `undefined`
 * for anything else, negatives included.
 */
export function minorAmount(value: unknown): bigint | undefined {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : undefined;
  }
  return typeof value === 'string' && /^\d{1,30}$/.test(value) ? BigInt(value) : undefined;
}

/**
 * Major units of a provider amount in that provider's own minor units (`units`: its table in
 * `<provider>/currencies.ts`; USD 2999 is 29.99, JPY 5000 is 5000, KWD 1500 is 1.5, Polar's ISK
 * 10000 is 100), or `undefined` when the amount or currency is unusable.
 *
 * @example
 * majorAmount(10000n, 'isk', polarCurrencies) // 100
 */
export function majorAmount(
  minor: bigint,
  currency: string | undefined,
  units: MinorUnitConvention,
): number | undefined {
  if (!currency || !/^[A-Za-z]{3}$/.test(currency)) return undefined;
  return toMajorUnits(minor, currency, { convention: units });
}

/**
 * The fields every payment has, from a provider's raw id, minor-unit amount (in the provider's
 * `units`) and currency, or `undefined` when any of them is unusable (so the object is not a
 * payment DataFast could take).
 *
 * @example
 * const money = moneyFields(order.id, order.total_amount, order.currency, polarCurrencies) // { amount: 35.99, currency: 'usd', transaction_id: '…' }
 */
export function moneyFields(
  id: unknown,
  minor: unknown,
  currency: unknown,
  units: MinorUnitConvention,
): Pick<PaymentInput, 'amount' | 'currency' | 'transaction_id'> | undefined {
  const transactionId = idText(id);
  const code = text(currency);
  const exact = typeof minor === 'bigint' ? minor : minorAmount(minor);
  const amount = exact === undefined ? undefined : majorAmount(exact, code, units);
  return transactionId && code && amount !== undefined
    ? { amount, currency: code, transaction_id: transactionId }
    : undefined;
}

/** Customer fields for a payment, leaving out what is unknown. */
export function customerFields(customer: {
  id?: unknown;
  email?: unknown;
  name?: unknown;
}): Pick<PaymentInput, 'customer_id' | 'email' | 'name'> {
  const fields: Pick<PaymentInput, 'customer_id' | 'email' | 'name'> = {};
  const id = idText(customer.id);
  const email = text(customer.email);
  const name = text(customer.name);
  if (id) fields.customer_id = id;
  if (email) fields.email = email;
  if (name) fields.name = name;
  return fields;
}

/**
 * A payment's `timestamp` from an ISO 8601 string or a Unix time (`unit` says whether the
 * provider counts seconds or milliseconds); nothing when absent or not a date.
 */
export function timestampField(
  value: unknown,
  unit: 'seconds' | 'milliseconds' = 'seconds',
): Pick<PaymentInput, 'timestamp'> {
  let date: Date | undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    date = new Date(unit === 'seconds' ? value * 1000 : value);
  } else if (typeof value === 'string' && value !== '') {
    date = new Date(value);
  }
  return date && !Number.isNaN(date.getTime()) ? { timestamp: date } : {};
}

/**
 * The first valid visitor id found under `keys` (default `datafast_visitor_id`) in any of the
 * metadata objects, in order. Values that are not visitor UUIDs (another tool's reference) are
 * skipped.
 *
 * @example
 * visitorIn([order.metadata, order.subscription?.metadata], ['datafast_visitor_id', 'reference_id'])
 */
export function visitorIn(
  sources: unknown[],
  keys: readonly string[] = [VISITOR_COOKIE],
): string | undefined {
  for (const source of sources) {
    const metadata = record(source);
    for (const key of keys) {
      const visitor = normalizeVisitorId(metadata?.[key]);
      if (visitor) return visitor;
    }
  }
  return undefined;
}
