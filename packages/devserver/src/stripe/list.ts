import type { StripeObject } from './objects.js';

/**
 * Stripe's list pagination and `created` filter over objects already filtered by field, newest
 * first (https://docs.stripe.com/api/pagination): `limit` (1 to 100, default 10),
 * `starting_after` / `ending_before` an id of the list, and `created` as a Unix time or its
 * range operators `created[gt]`, `created[gte]`, `created[lt]`, `created[lte]`
 * (https://docs.stripe.com/api/checkout/sessions/list#list_checkout_sessions-created). Answers
 * `[status, body]` as the API does: a page `{ object: 'list', data, has_more, url }`, or 400.
 *
 * @example
 * const [status, body] = listPage(store.list('invoice'), url)
 */
export function listPage(found: StripeObject[], url: URL): [number, unknown] {
  const query = url.searchParams;
  const limit = Number(query.get('limit') ?? 10);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    return invalid('limit must be a whole number from 1 to 100');
  }
  const created = createdFilter(query);
  if (typeof created === 'string') return invalid(created);
  let list = found.filter((object) => created(Number(object.created)));
  const after = query.get('starting_after');
  const before = query.get('ending_before');
  if (after !== null && before !== null) {
    return invalid('starting_after and ending_before cannot be used together');
  }
  const cursor = after ?? before;
  let hasMore: boolean;
  if (cursor !== null) {
    const at = list.findIndex((object) => object.id === cursor);
    if (at === -1) return invalid(`No such object: '${cursor}'`, 'resource_missing');
    // ending_before pages towards newer objects: more remain when some come before this page.
    hasMore = after !== null ? list.length - (at + 1) > limit : at - limit > 0;
    list = after !== null ? list.slice(at + 1) : list.slice(Math.max(0, at - limit), at);
  } else {
    hasMore = list.length > limit;
  }
  const data = list.slice(0, limit);
  return [200, { object: 'list', data, has_more: hasMore, url: url.pathname }];
}

/** True for the `created` params of a list (kept out of the field filters). */
export function isCreatedParam(name: string): boolean {
  return /^created(\[(gt|gte|lt|lte)\])?$/.test(name);
}

const operators: Record<string, (value: number, bound: number) => boolean> = {
  created: (value, bound) => value === bound,
  'created[gt]': (value, bound) => value > bound,
  'created[gte]': (value, bound) => value >= bound,
  'created[lt]': (value, bound) => value < bound,
  'created[lte]': (value, bound) => value <= bound,
};

function createdFilter(query: URLSearchParams): ((created: number) => boolean) | string {
  const checks: Array<(created: number) => boolean> = [];
  for (const [name, value] of query) {
    const test = operators[name];
    if (!test) continue;
    if (!/^\d+$/.test(value)) return `${name} must be a Unix timestamp in seconds`;
    checks.push((created) => test(created, Number(value)));
  }
  return (created) => checks.every((check) => check(created));
}

function invalid(message: string, code?: string): [number, unknown] {
  return [400, { error: { type: 'invalid_request_error', message, ...(code ? { code } : {}) } }];
}
