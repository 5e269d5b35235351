import { DatafastValidationError, describeValue } from './errors.js';
import { misspellings } from './payload.js';
import { toDate } from './timestamp.js';
import { normalizeVisitorId } from './visitor.js';

/**
 * Which payments `payments.delete` removes, in the API's priority order: one transaction, one
 * visitor (all time, or between `start` and `end`), or every payment between `start` and `end`.
 *
 * @example
 * { transaction_id: 'pi_123' }
 * { datafast_visitor_id: 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd' }
 * { start: new Date('2026-05-01'), end: '2026-05-19T23:59:59Z' }
 */
export type DeleteFilter =
  | { transaction_id: string }
  | { datafast_visitor_id: string; start?: string | Date; end?: string | Date }
  | { start: string | Date; end: string | Date };

/** Validates a delete filter and returns the query parameters to send. */
export function buildDeleteQuery(filter: DeleteFilter): Record<string, string> {
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    throw new DatafastValidationError(
      'filter',
      `delete filter must be an object (got ${describeValue(filter)})`,
    );
  }
  const given = filter as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (
      key === 'transaction_id' ||
      key === 'datafast_visitor_id' ||
      key === 'start' ||
      key === 'end'
    ) {
      continue;
    }
    const hint = misspellings[key];
    throw new DatafastValidationError(
      key,
      hint ? `unknown filter "${key}": did you mean "${hint}"?` : `unknown filter "${key}"`,
    );
  }

  if (given.transaction_id !== undefined) {
    const transactionId =
      typeof given.transaction_id === 'string' ? given.transaction_id.trim() : '';
    if (!transactionId) {
      throw new DatafastValidationError(
        'transaction_id',
        'transaction_id must be a non-empty string',
      );
    }
    const other = ['datafast_visitor_id', 'start', 'end'].find((key) => given[key] !== undefined);
    if (other) {
      // The API would silently ignore the other filter; refuse instead of deleting something else.
      throw new DatafastValidationError(other, `transaction_id cannot be combined with ${other}`);
    }
    return { transaction_id: transactionId };
  }

  const range = dateRange(given.start, given.end);
  if (given.datafast_visitor_id !== undefined) {
    const visitorId = normalizeVisitorId(given.datafast_visitor_id);
    if (!visitorId) {
      throw new DatafastValidationError(
        'datafast_visitor_id',
        `datafast_visitor_id must be a UUID (got ${describeValue(given.datafast_visitor_id)})`,
      );
    }
    return { datafast_visitor_id: visitorId, ...range };
  }
  if (!range) {
    throw new DatafastValidationError(
      'filter',
      'delete needs a filter: { transaction_id }, { datafast_visitor_id } or { start, end }',
    );
  }
  return range;
}

/**
 * A delete's range as query parameters: `start`/`end`, which DataFast's delete page names, and
 * the same bounds again as `startAt`/`endAt`, which its Payments API overview shows. An API that
 * read only the pair not sent would ignore the range, and `{ datafast_visitor_id, start, end }`
 * would delete every payment of that visitor; with both pairs, the range applies either way.
 */
type RangeQuery = { start: string; end: string; startAt: string; endAt: string };

function dateRange(start: unknown, end: unknown): RangeQuery | undefined {
  if (start === undefined && end === undefined) return undefined;
  if (start === undefined || end === undefined) {
    const missing = start === undefined ? 'start' : 'end';
    throw new DatafastValidationError(missing, 'start and end must be given together');
  }
  const from = toDate(start);
  if (!from) {
    throw new DatafastValidationError(
      'start',
      `start must be a valid Date or ISO 8601 string (got ${describeValue(start)})`,
    );
  }
  const to = toDate(end);
  if (!to) {
    throw new DatafastValidationError(
      'end',
      `end must be a valid Date or ISO 8601 string (got ${describeValue(end)})`,
    );
  }
  if (from.getTime() > to.getTime()) {
    throw new DatafastValidationError('end', 'end must not be before start');
  }
  const bounds = { start: from.toISOString(), end: to.toISOString() };
  return { ...bounds, startAt: bounds.start, endAt: bounds.end };
}
