import { parseIsoDate } from './dates.js';

/** A POST body that passed every documented check, normalised for storage. Field names are the API's own. */
export interface ValidPayment {
  transaction_id: string;
  amount: number;
  /** Upper case, as DataFast reports it. */
  currency: string;
  /** Lower case. */
  datafast_visitor_id?: string;
  /** From `email` or `customer_email`. */
  email?: string;
  /** From `name` or `customer_name`. */
  name?: string;
  customer_id?: string;
  renewal: boolean;
  refunded: boolean;
  is_free_trial: boolean;
  /** The event time (ISO 8601, UTC): the `timestamp` sent, else the time it was received. */
  timestamp: string;
}

/** The outcome of checking a POST body: the payment, or the 400 message naming the field. */
export type PaymentCheck = { ok: true; payment: ValidPayment } | { ok: false; message: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * True when `value` is a UUID (any version, either case), the only visitor id DataFast accepts.
 *
 * @example
 * isUuid('a3ab2331-989f-4cfa-91c6-2461c9e3c6bd') // true
 */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

class FieldError extends Error {}

/** Optional fields may be absent or `null`; both mean "not given". */
function given(body: Record<string, unknown>, field: string): boolean {
  return body[field] !== undefined && body[field] !== null;
}

function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  if (!given(body, field)) return undefined;
  const value = body[field];
  if (typeof value !== 'string') throw new FieldError(`${field} must be a string`);
  return value === '' ? undefined : value;
}

function optionalBoolean(body: Record<string, unknown>, field: string): boolean | undefined {
  if (!given(body, field)) return undefined;
  const value = body[field];
  // "true" as a string is a client bug worth surfacing, not something to coerce.
  if (typeof value !== 'boolean')
    throw new FieldError(`${field} must be a boolean (true or false)`);
  return value;
}

/** `email`/`customer_email` and `name`/`customer_name` are aliases; two different values conflict. */
function aliased(body: Record<string, unknown>, field: string, alias: string): string | undefined {
  const a = optionalString(body, field);
  const b = optionalString(body, alias);
  if (a !== undefined && b !== undefined && a !== b) {
    throw new FieldError(
      `Invalid field combination: ${field} and ${alias} are aliases with different values; send one`,
    );
  }
  return a ?? b;
}

function required(body: Record<string, unknown>, field: string): unknown {
  if (!given(body, field)) throw new FieldError(`Missing required field: ${field}`);
  return body[field];
}

/**
 * Checks a parsed POST body against the Create a payment page. Unknown fields are ignored.
 *
 * @example
 * checkPayment({ amount: 0, currency: 'usd', transaction_id: 't1' }, new Date()) // ok, is_free_trial: true
 */
export function checkPayment(body: unknown, now: Date): PaymentCheck {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, message: 'Request body must be a JSON object' };
  }
  const fields = body as Record<string, unknown>;
  try {
    const amount = required(fields, 'amount');
    if (typeof amount !== 'number') throw new FieldError('amount must be a number');
    if (!Number.isFinite(amount)) throw new FieldError('amount must be a finite number');
    if (amount < 0) throw new FieldError('amount must be greater than or equal to 0');

    const currency = required(fields, 'currency');
    if (typeof currency !== 'string') throw new FieldError('currency must be a string');
    if (!/^[A-Za-z]{3}$/.test(currency)) {
      throw new FieldError('currency must be a 3-letter ISO 4217 code such as "USD"');
    }

    const transactionId = required(fields, 'transaction_id');
    if (typeof transactionId !== 'string') throw new FieldError('transaction_id must be a string');
    if (transactionId.trim() === '') throw new FieldError('transaction_id must not be empty');

    let visitorId: string | undefined;
    if (given(fields, 'datafast_visitor_id')) {
      const value = fields.datafast_visitor_id;
      if (typeof value !== 'string') throw new FieldError('datafast_visitor_id must be a string');
      if (!isUuid(value)) throw new FieldError('datafast_visitor_id must be a UUID');
      visitorId = value.toLowerCase();
    }

    const email = aliased(fields, 'email', 'customer_email');
    const name = aliased(fields, 'name', 'customer_name');
    const customerId = optionalString(fields, 'customer_id');
    const renewal = optionalBoolean(fields, 'renewal') ?? false;
    const refunded = optionalBoolean(fields, 'refunded') ?? false;
    const explicitTrial = optionalBoolean(fields, 'is_free_trial');

    let timestamp = now;
    if (given(fields, 'timestamp')) {
      const value = fields.timestamp;
      const parsed = typeof value === 'string' ? parseIsoDate(value) : undefined;
      if (!parsed) throw new FieldError('timestamp must be an ISO 8601 date string');
      timestamp = parsed;
    }

    if (refunded && amount === 0) {
      throw new FieldError('Invalid field combination: refunded needs an amount greater than 0');
    }
    if (refunded && explicitTrial === true) {
      throw new FieldError('Invalid field combination: refunded and is_free_trial are both true');
    }
    if (renewal && explicitTrial === true) {
      throw new FieldError('Invalid field combination: renewal and is_free_trial are both true');
    }
    // "Also inferred when amount is 0": only when the caller did not say, and a $0 renewal
    // (a 100% coupon on a recurring charge) stays a renewal.
    const isFreeTrial = explicitTrial ?? (amount === 0 && !renewal);

    const payment: ValidPayment = {
      transaction_id: transactionId,
      amount: amount === 0 ? 0 : amount,
      currency: currency.toUpperCase(),
      renewal,
      refunded,
      is_free_trial: isFreeTrial,
      timestamp: timestamp.toISOString(),
    };
    if (visitorId !== undefined) payment.datafast_visitor_id = visitorId;
    if (email !== undefined) payment.email = email;
    if (name !== undefined) payment.name = name;
    if (customerId !== undefined) payment.customer_id = customerId;
    return { ok: true, payment };
  } catch (error) {
    if (error instanceof FieldError) return { ok: false, message: error.message };
    throw error;
  }
}
