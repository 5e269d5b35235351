/**
 * The list endpoints of the providers' REST APIs, as each paginates and filters, for the
 * {@link ApiStandIn}: what `@datafast-checkout/backfill` and the webhooks' renewal lookups read.
 * Objects are answered newest first, as every one of these APIs lists by default. Shaped after:
 * - LemonSqueezy, JSON:API `page[number]` / `page[size]` (default 10, at most 100), `filter[...]`
 *   on attributes, `meta.page` (`currentPage`, `lastPage`, ...):
 *   https://docs.lemonsqueezy.com/api/getting-started/requests#pagination
 * - Polar, `page` / `limit` (default 10, at most 100), `{ items, pagination: { total_count,
 *   max_page } }`: https://polar.sh/docs/api-reference/introduction#pagination
 * - Paddle, `after` (the last id of the previous page) / `per_page` (default 50, at most 200),
 *   comma lists, `created_at[GTE]`-style operators on transactions, `{ data, meta: { pagination:
 *   { per_page, next, has_more, estimated_total } } }`:
 *   https://developer.paddle.com/api-reference/about/pagination
 * - Creem, `page_number` (from 1) / `page_size`, `{ items, pagination: { total_records,
 *   total_pages, current_page, next_page, prev_page } }`:
 *   https://docs.creem.io/api-reference/endpoint/search-transactions
 * - Dodo Payments, `page_number` (from 0) / `page_size` (default 10, at most 100),
 *   `created_at_gte` / `created_at_lte`, `{ items }`:
 *   https://docs.dodopayments.com/api-reference/payments/get-payments
 */
type Json = Record<string, unknown>;

/** The paging style of a provider's list endpoints. */
export type ListStyle = 'lemonsqueezy' | 'polar' | 'paddle' | 'creem' | 'dodo';

// Query parameters that page, sort or filter by time rather than name a field to match.
const reserved: Record<ListStyle, RegExp> = {
  lemonsqueezy: /^(page\[(number|size)\]|include)$/,
  polar: /^(page|limit|sorting)$/,
  paddle: /^(after|per_page|order_by|(created|updated|billed)_at(\[(LT|LTE|GT|GTE)\])?)$/,
  creem: /^(page_number|page_size)$/,
  dodo: /^(page_number|page_size|created_at_(gte|lte))$/,
};

// Creem's search filters name the object's field without `_id`.
const creemFields: Record<string, string> = {
  customer_id: 'customer',
  order_id: 'order',
  product_id: 'product',
};

/**
 * One page of `objects` (oldest first, as stored) as `style`'s list endpoint answers `query`:
 * `[status, body]`, a 400 for a page size past the provider's largest.
 */
export function listAnswer(
  style: ListStyle,
  objects: Json[],
  query: Record<string, string>,
): [number, unknown] {
  const matching = [...objects]
    .reverse()
    .filter((object) => matchesFields(style, object, query) && inTime(style, object, query));
  switch (style) {
    case 'lemonsqueezy': {
      const size = Number(query['page[size]'] ?? 10);
      const number = Number(query['page[number]'] ?? 1);
      if (!(size >= 1 && size <= 100)) return badRequest('page[size] must be 1 to 100');
      const lastPage = Math.max(1, Math.ceil(matching.length / size));
      const data = matching.slice((number - 1) * size, number * size);
      return [
        200,
        {
          meta: {
            page: {
              currentPage: number,
              from: (number - 1) * size + 1,
              lastPage,
              perPage: size,
              to: (number - 1) * size + data.length,
              total: matching.length,
            },
          },
          jsonapi: { version: '1.0' },
          data,
        },
      ];
    }
    case 'polar': {
      const limit = Number(query.limit ?? 10);
      const page = Number(query.page ?? 1);
      if (!(limit >= 1 && limit <= 100)) return badRequest('limit must be 1 to 100');
      const items = matching.slice((page - 1) * limit, page * limit);
      const maxPage = Math.max(1, Math.ceil(matching.length / limit));
      return [200, { items, pagination: { total_count: matching.length, max_page: maxPage } }];
    }
    case 'paddle': {
      const perPage = Number(query.per_page ?? 50);
      if (!(perPage >= 1 && perPage <= 200)) return badRequest('per_page must be 1 to 200');
      const after = query.after;
      const start = after ? matching.findIndex((object) => object.id === after) + 1 : 0;
      if (after && start === 0) return badRequest(`after: no entity ${after}`);
      const data = matching.slice(start, start + perPage);
      const hasMore = matching.length > start + perPage;
      const next = new URLSearchParams({ ...query, after: String(data.at(-1)?.id ?? '') });
      return [
        200,
        {
          data,
          meta: {
            request_id: 'req_stand_in',
            pagination: {
              per_page: perPage,
              next: `https://stand-in/?${next}`,
              has_more: hasMore,
              estimated_total: matching.length,
            },
          },
        },
      ];
    }
    case 'creem': {
      const size = Number(query.page_size ?? 10);
      const current = Number(query.page_number ?? 1);
      const totalPages = Math.max(1, Math.ceil(matching.length / size));
      const items = matching.slice((current - 1) * size, current * size);
      return [
        200,
        {
          items,
          pagination: {
            total_records: matching.length,
            total_pages: totalPages,
            current_page: current,
            next_page: current < totalPages ? current + 1 : null,
            prev_page: current > 1 ? current - 1 : null,
          },
        },
      ];
    }
    case 'dodo': {
      const size = Number(query.page_size ?? 10);
      const number = Number(query.page_number ?? 0);
      if (!(size >= 1 && size <= 100)) return badRequest('page_size must be 1 to 100');
      return [200, { items: matching.slice(number * size, (number + 1) * size) }];
    }
  }
}

function matchesFields(style: ListStyle, object: Json, query: Record<string, string>): boolean {
  return Object.entries(query).every(([name, value]) => {
    if (reserved[style].test(name)) return true;
    let field = name;
    let source: Json = object;
    if (style === 'lemonsqueezy') {
      field = /^filter\[(.+)\]$/.exec(name)?.[1] ?? name;
      source = (object.attributes as Json | undefined) ?? {};
    }
    if (style === 'creem') field = creemFields[name] ?? name;
    const actual = source[field];
    const id = typeof actual === 'object' && actual !== null ? (actual as Json).id : actual;
    // Comma lists are "any of" (Paddle's `status=completed,paid`).
    return value.split(',').includes(String(id));
  });
}

function inTime(style: ListStyle, object: Json, query: Record<string, string>): boolean {
  const created = Date.parse(String(object.created_at));
  if (style === 'dodo') {
    const gte = query.created_at_gte;
    const lte = query.created_at_lte;
    return (!gte || created >= Date.parse(gte)) && (!lte || created <= Date.parse(lte));
  }
  if (style !== 'paddle') return true;
  return Object.entries(query).every(([name, value]) => {
    const operator = /^created_at\[(LT|LTE|GT|GTE)\]$/.exec(name)?.[1];
    if (!operator) return true;
    const bound = Date.parse(value);
    return {
      LT: created < bound,
      LTE: created <= bound,
      GT: created > bound,
      GTE: created >= bound,
    }[operator];
  });
}

function badRequest(message: string): [number, unknown] {
  return [400, { error: { type: 'request_error', detail: message } }];
}
