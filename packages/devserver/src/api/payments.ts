import { errorEnvelope, parseJsonBody, type RequestBody } from '../http/messages.js';
import type { Website } from '../settings/config.js';
import { parseIsoDate } from './dates.js';
import { checkPayment, isUuid } from './payload.js';
import { type PaymentRecord, type PaymentStore, toRecord } from './payment-store.js';

/** An answer from the Payments API, before it is written. */
export interface ApiAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** A re-posted `transaction_id`: answered 200, nothing stored. */
  duplicate?: boolean;
  /** How many records a DELETE removed. */
  deleted?: number;
}

/** What the API handlers work on. */
export interface ApiContext {
  store: PaymentStore;
  bodyLimit: number;
  now: () => Date;
}

function error(status: number, message: string): ApiAnswer {
  return { status, body: errorEnvelope(status, message) };
}

function successMessage(record: PaymentRecord): string {
  if (record.refunded) return 'Refund recorded successfully';
  if (record.is_free_trial) return 'Free trial recorded successfully';
  const what = record.renewal ? 'Renewal' : 'Payment';
  return record.datafast_visitor_id
    ? `${what} recorded and attributed successfully`
    : `${what} recorded successfully (no datafast_visitor_id, so it is not attributed)`;
}

/**
 * `POST /api/v1/payments`: validates, stores once per website and `transaction_id`, and answers
 * the plain `{ message, transaction_id }` (no `status` wrapper). A repeat answers 200 with a
 * duplicate message and stores nothing.
 */
export async function createPayment(
  ctx: ApiContext,
  website: Website,
  contentType: string | undefined,
  body: RequestBody,
): Promise<ApiAnswer> {
  const parsed = parseJsonBody(contentType, body, ctx.bodyLimit);
  if (!parsed.ok) return error(parsed.status, parsed.message);
  const receivedAt = ctx.now();
  const check = checkPayment(parsed.value, receivedAt);
  if (!check.ok) return error(400, check.message);

  const record = toRecord(website.id, check.payment, receivedAt);
  let stored: boolean;
  try {
    stored = await ctx.store.add(record);
  } catch {
    // A 5xx leaves nothing stored (the store rolled the record back).
    return error(500, 'Could not write the data file; the payment was not recorded');
  }
  if (!stored) {
    return {
      status: 200,
      duplicate: true,
      body: {
        message: 'Duplicate transaction_id: this payment was already recorded, nothing was changed',
        transaction_id: record.transaction_id,
      },
    };
  }
  return {
    status: 200,
    body: { message: successMessage(record), transaction_id: record.transaction_id },
  };
}

function pluralPayments(n: number): string {
  return n === 1 ? '1 payment' : `${n} payments`;
}

/** A `start`/`end` bound: absent, a valid date, or the 400 answer. */
function bound(
  query: URLSearchParams,
  name: 'start' | 'end',
): { given: false } | { given: true; raw: string; date: Date } | { error: ApiAnswer } {
  const raw = query.get(name);
  if (raw === null) return { given: false };
  const date = parseIsoDate(raw);
  if (date) return { given: true, raw, date };
  return { error: error(400, `${name} must be an ISO 8601 date, such as 2026-05-01T00:00:00Z`) };
}

/**
 * `DELETE /api/v1/payments`: query parameters only, evaluated in priority order. A filter of
 * lower priority than the one that applies is ignored, even when it is invalid.
 */
export async function deletePayments(
  ctx: ApiContext,
  website: Website,
  query: URLSearchParams,
): Promise<ApiAnswer> {
  const transactionId = query.get('transaction_id');
  const txId = query.get('tx_id');
  if (transactionId !== null || txId !== null) {
    if (transactionId !== null && txId !== null && transactionId !== txId) {
      return error(
        400,
        'Invalid field combination: transaction_id and tx_id are aliases with different values; send one',
      );
    }
    const id = transactionId ?? txId ?? '';
    const name = transactionId !== null ? 'transaction_id' : 'tx_id';
    if (id.trim() === '') return error(400, `${name} must not be empty`);
    return deleted(
      ctx,
      website,
      (r) => r.transaction_id === id,
      () => ({ message: 'Payment deleted successfully', transaction_id: id }),
      error(404, 'Transaction not found'),
    );
  }

  const start = bound(query, 'start');
  const end = bound(query, 'end');
  const visitorId = query.get('datafast_visitor_id');
  if (visitorId !== null) {
    if (!isUuid(visitorId)) return error(400, 'datafast_visitor_id must be a UUID');
    if ('error' in start) return start.error;
    if ('error' in end) return end.error;
    if (start.given && end.given && start.date > end.date) {
      return error(400, 'start must not be after end');
    }
    const visitor = visitorId.toLowerCase();
    return deleted(
      ctx,
      website,
      (r) => r.datafast_visitor_id === visitor && inRange(r, start, end),
      (count) => ({
        message: `Deleted ${pluralPayments(count)} for this visitor`,
        datafast_visitor_id: visitor,
        ...(start.given || end.given
          ? {
              timeRange: {
                ...(start.given ? { start: start.raw } : {}),
                ...(end.given ? { end: end.raw } : {}),
              },
            }
          : {}),
      }),
    );
  }

  if (!query.has('start') && !query.has('end')) {
    return error(
      400,
      'No filter provided: pass transaction_id (or tx_id), datafast_visitor_id, or start and end',
    );
  }
  if ('error' in start) return start.error;
  if ('error' in end) return end.error;
  if (!start.given || !end.given) {
    return error(400, 'start and end are both required for a bulk delete by time range');
  }
  if (start.date > end.date) return error(400, 'start must not be after end');
  return deleted(
    ctx,
    website,
    (r) => inRange(r, start, end),
    (count) => ({
      message: `Deleted ${pluralPayments(count)} in the time range`,
      timeRange: { start: start.raw, end: end.raw },
    }),
  );
}

function inRange(
  record: PaymentRecord,
  start: { given: boolean; date?: Date },
  end: { given: boolean; date?: Date },
): boolean {
  const t = Date.parse(record.timestamp);
  if (start.given && start.date && t < start.date.getTime()) return false;
  if (end.given && end.date && t > end.date.getTime()) return false;
  return true;
}

/**
 * Deletes what matches and answers success with `item`, or `whenNone` when nothing matched, or
 * 500 when the data file could not be written (the store put the records back).
 */
async function deleted(
  ctx: ApiContext,
  website: Website,
  match: (record: PaymentRecord) => boolean,
  item: (count: number) => Record<string, unknown>,
  whenNone?: ApiAnswer,
): Promise<ApiAnswer> {
  let removed: PaymentRecord[];
  try {
    removed = await ctx.store.delete(website.id, match);
  } catch {
    return error(500, 'Could not write the data file; nothing was deleted');
  }
  if (removed.length === 0 && whenNone) return whenNone;
  return {
    status: 200,
    body: { status: 'success', data: [item(removed.length)] },
    deleted: removed.length,
  };
}
