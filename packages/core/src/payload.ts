import { DatafastValidationError, describeId, describeValue } from './errors.js';
import { toDate } from './timestamp.js';
import { normalizeVisitorId } from './visitor.js';

/**
 * A payment, refund, renewal or free trial, in the API's own field names
 * (https://datafa.st/docs/api/website/payments/create).
 *
 * @example
 * { amount: 29.99, currency: 'USD', transaction_id: 'pi_123', email: 'ada@example.com' }
 */
export interface PaymentInput {
  /** Major units (29.99, not 2999); `0` for a free trial. Use `toMajorUnits` for provider cents. */
  amount: number;
  /** ISO 4217 code, any case (`'usd'` is sent as `'USD'`). */
  currency: string;
  /** Your billing system's id; DataFast deduplicates on it, so retries never double-count. */
  transaction_id: string;
  /**
   * The `datafast_visitor_id` cookie. Adapters fill it from the request; an explicit value wins,
   * and `null` explicitly reports the payment unattributed. A value that is not a UUID is dropped
   * with a warning (the API would reject the whole payment).
   */
  datafast_visitor_id?: string | null;
  /** Customer email (sent as `email`); helps DataFast match trials to later payments. */
  email?: string;
  /** Alias of `email`. */
  customer_email?: string;
  /** Customer name (sent as `name`). */
  name?: string;
  /** Alias of `name`. */
  customer_name?: string;
  /** Stable customer id from your billing system. */
  customer_id?: string;
  /** A recurring renewal. */
  renewal?: boolean;
  /** A refund: a positive amount and the refund's own `transaction_id`. */
  refunded?: boolean;
  /** A free trial; inferred when `amount` is `0` (and not a renewal) and this is not given. */
  is_free_trial?: boolean;
  /** When it happened; defaults to the moment the payment is reported (not delivered). */
  timestamp?: string | Date;
}

/** The JSON body sent to `POST /api/v1/payments`. */
export interface PaymentBody {
  amount: number;
  currency: string;
  transaction_id: string;
  datafast_visitor_id?: string;
  email?: string;
  name?: string;
  customer_id?: string;
  renewal?: boolean;
  refunded?: boolean;
  is_free_trial?: boolean;
  timestamp: string;
}

const knownFields = new Set([
  'amount',
  'currency',
  'transaction_id',
  'datafast_visitor_id',
  'email',
  'customer_email',
  'name',
  'customer_name',
  'customer_id',
  'renewal',
  'refunded',
  'is_free_trial',
  'timestamp',
]);

// Likely spellings of real fields; a silent drop of any of these would lose attribution or
// idempotency, so they are refused with a pointer to the right name.
export const misspellings: Record<string, string> = {
  transactionId: 'transaction_id',
  tx_id: 'transaction_id',
  visitorId: 'datafast_visitor_id',
  visitor_id: 'datafast_visitor_id',
  datafastVisitorId: 'datafast_visitor_id',
  customerId: 'customer_id',
  customerEmail: 'customer_email',
  customerName: 'customer_name',
  isFreeTrial: 'is_free_trial',
  free_trial: 'is_free_trial',
  refund: 'refunded',
};

/**
 * Validates a payment and builds the exact API body. Throws {@link DatafastValidationError}
 * naming the field; calls `warn` for a visitor id that is dropped.
 */
export function buildPaymentBody(
  input: PaymentInput,
  warn: (message: string) => void,
  now: () => Date = () => new Date(),
): PaymentBody {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new DatafastValidationError(
      'payment',
      `payment must be an object (got ${describeValue(input)})`,
    );
  }
  for (const key of Object.keys(input)) {
    if (knownFields.has(key)) continue;
    const hint = misspellings[key];
    throw new DatafastValidationError(
      key,
      hint ? `unknown field "${key}": did you mean "${hint}"?` : `unknown field "${key}"`,
    );
  }

  const { amount } = input;
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) {
    throw new DatafastValidationError(
      'amount',
      `amount must be a finite number >= 0 in major units, e.g. 29.99 (got ${describeValue(amount)})`,
    );
  }
  if (typeof input.currency !== 'string' || !/^[A-Za-z]{3}$/.test(input.currency.trim())) {
    throw new DatafastValidationError(
      'currency',
      `currency must be a 3-letter ISO 4217 code such as "USD" (got ${describeValue(input.currency)})`,
    );
  }
  const transactionId = typeof input.transaction_id === 'string' ? input.transaction_id.trim() : '';
  if (!transactionId) {
    throw new DatafastValidationError(
      'transaction_id',
      `transaction_id must be a non-empty string (got ${describeValue(input.transaction_id)})`,
    );
  }

  const body: PaymentBody = {
    amount,
    currency: input.currency.trim().toUpperCase(),
    transaction_id: transactionId,
    timestamp: timestampOf(input.timestamp, now),
  };

  const visitorId = input.datafast_visitor_id;
  if (visitorId != null && visitorId !== '') {
    const normalized = normalizeVisitorId(visitorId);
    if (normalized) body.datafast_visitor_id = normalized;
    else {
      warn(
        `datafast_visitor_id ${describeValue(visitorId)} is not a UUID and was dropped: payment ${describeId(transactionId)} is reported unattributed`,
      );
    }
  }

  const email = aliasedString(input, 'email', 'customer_email');
  if (email !== undefined) body.email = email;
  const name = aliasedString(input, 'name', 'customer_name');
  if (name !== undefined) body.name = name;
  const customerId = optionalString(input, 'customer_id');
  if (customerId !== undefined) body.customer_id = customerId;

  const renewal = optionalBoolean(input, 'renewal');
  if (renewal !== undefined) body.renewal = renewal;
  const refunded = optionalBoolean(input, 'refunded');
  if (refunded !== undefined) body.refunded = refunded;
  // A zero-amount renewal (a 100% coupon) is not a trial; only a new zero-amount payment is.
  const freeTrial =
    optionalBoolean(input, 'is_free_trial') ?? (amount === 0 && !renewal ? true : undefined);
  if (freeTrial !== undefined) body.is_free_trial = freeTrial;

  if (refunded && amount === 0) {
    throw new DatafastValidationError(
      'amount',
      'a refund needs a positive amount (the amount refunded) and its own transaction_id',
    );
  }
  if (renewal && freeTrial) {
    throw new DatafastValidationError(
      'is_free_trial',
      'is_free_trial and renewal cannot both be true: a renewal is a paid period',
    );
  }
  if (refunded && freeTrial) {
    throw new DatafastValidationError(
      'is_free_trial',
      'is_free_trial and refunded cannot both be true: a refund is never a free trial',
    );
  }
  return body;
}

function timestampOf(value: unknown, now: () => Date): string {
  if (value === undefined || value === null) return now().toISOString();
  const date = toDate(value);
  if (!date) {
    throw new DatafastValidationError(
      'timestamp',
      `timestamp must be a valid Date or an ISO 8601 string with a time zone, in the years 0000 to 9999, e.g. "2026-05-21T12:00:00Z" (got ${describeValue(value)})`,
    );
  }
  return date.toISOString();
}

function optionalString(input: object, field: string): string | undefined {
  const value = (input as Record<string, unknown>)[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    throw new DatafastValidationError(
      field,
      `${field} must be a string (got ${describeValue(value)})`,
    );
  }
  return value;
}

function aliasedString(input: object, field: string, alias: string): string | undefined {
  const direct = optionalString(input, field);
  const aliased = optionalString(input, alias);
  if (direct !== undefined && aliased !== undefined && direct !== aliased) {
    throw new DatafastValidationError(
      alias,
      `${field} and ${alias} are the same field and were given different values`,
    );
  }
  return direct ?? aliased;
}

function optionalBoolean(input: object, field: string): boolean | undefined {
  const value = (input as Record<string, unknown>)[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') {
    throw new DatafastValidationError(
      field,
      `${field} must be true or false (got ${describeValue(value)})`,
    );
  }
  return value;
}
