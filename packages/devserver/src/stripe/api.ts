import type { IncomingMessage, ServerResponse } from 'node:http';
import { stripeId } from './ids.js';
import { isCreatedParam, listPage } from './list.js';
import type { StripeObject } from './objects.js';
import { idOf, type StripeStore } from './store.js';

/** One request the Stripe API received. */
export interface StripeApiRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The header as sent (the stand-in's tests read it; the devserver never logs it). */
  authorization: string | undefined;
}

/** What {@link handleStripeApi} answers from, and how it decides who may ask. */
export interface StripeApiOptions {
  store: StripeStore;
  /** True when this secret key may use the API. */
  authorized(key: string): boolean;
  /** Sees every request, before it is answered. */
  onRequest?(request: StripeApiRequest): void;
  /** True to answer this request with a 500, as when Stripe's API is down. */
  fail?(): boolean;
}

// The collections a `stripe` client reads, by their path under /v1.
const COLLECTIONS: Record<string, string> = {
  'checkout/sessions': 'checkout.session',
  invoices: 'invoice',
  invoice_payments: 'invoice_payment',
  payment_intents: 'payment_intent',
  charges: 'charge',
  refunds: 'refund',
  subscriptions: 'subscription',
  customers: 'customer',
  disputes: 'dispute',
};
const PAGING = ['limit', 'starting_after', 'ending_before'];

/** The secret key of `Authorization: Bearer sk_…`, or of Basic auth (`curl -u sk_…:`). */
export function secretKey(header: string | undefined): string | undefined {
  const [scheme, value] = (header ?? '').trim().split(/\s+/, 2);
  if (!value) return undefined;
  if (/^bearer$/i.test(scheme ?? '')) return value;
  if (/^basic$/i.test(scheme ?? ''))
    return Buffer.from(value, 'base64').toString('utf8').split(':')[0];
  return undefined;
}

export function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, null, 2);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, no-store',
    'Request-Id': stripeId('req'),
  });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

/** `expand[]=a`, `expand[0]=a`: the fields to expand, one level deep. */
function expansions(url: URL): string[] {
  return [...url.searchParams].filter(([key]) => /^expand(\[\d*\])?$/.test(key)).map(([, v]) => v);
}

/** Replaces each expandable id named in `fields` with the stored object, when there is one. */
function expand(object: StripeObject, fields: string[], store: StripeStore): StripeObject {
  if (fields.length === 0) return object;
  const expanded: StripeObject = { ...object };
  for (const field of fields) {
    const id = idOf(expanded[field]);
    const found = id ? store.get(id) : undefined;
    if (found) expanded[field] = found;
  }
  return expanded;
}

/** True when the object's field (`payment[payment_intent]` reads `payment.payment_intent`) is `value`. */
function fieldIs(object: StripeObject, param: string, value: string): boolean {
  const path = param.replace(/\]/g, '').split('[');
  let current: unknown = object;
  for (const key of path) current = (current as Record<string, unknown> | null)?.[key];
  if (idOf(current) === value) return true;
  // `GET /v1/invoices?subscription=` also finds invoices of API 2025-03-31 and later, which name
  // their subscription under `parent.subscription_details`.
  return (
    param === 'subscription' &&
    object.object === 'invoice' &&
    fieldIs(object, 'parent[subscription_details][subscription]', value)
  );
}

/**
 * Answers the Stripe API calls that payment-link success pages and webhooks make (a
 * `stripe` client with `host`/`port` pointed here): retrieve any stored object
 * (`GET /v1/checkout/sessions/:id`, invoices, PaymentIntents, charges, refunds, subscriptions,
 * customers, disputes) and list them by their fields (`?payment_intent=`, `?subscription=` (an
 * invoice's in either API shape), `?status=`, `?payment[payment_intent]=` for invoice payments),
 * newest first, with Stripe's pagination and `created` filters (`list.ts`) and one level of
 * `expand[]`. Other requests get Stripe's 404 envelope; a key `authorized` refuses gets 401.
 */
export function handleStripeApi(
  options: StripeApiOptions,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): void {
  // Stripe's reads have no body; drain whatever came so the connection stays reusable.
  req.resume();
  const [status, body] = answer(options, req, url);
  send(res, status, body);
}

export function stripeError(status: number, message: string, code?: string): [number, unknown] {
  const type = status >= 500 ? 'api_error' : 'invalid_request_error';
  return [status, { error: { type, message, ...(code ? { code } : {}) } }];
}

function answer(options: StripeApiOptions, req: IncomingMessage, url: URL): [number, unknown] {
  const authorization = req.headers.authorization;
  const method = req.method ?? 'GET';
  options.onRequest?.({
    method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    authorization,
  });
  const key = secretKey(authorization);
  if (!key || !options.authorized(key)) {
    return stripeError(
      401,
      'Invalid API Key provided: use the secret key this Stripe stand-in was given (Authorization: Bearer sk_test_…)',
    );
  }
  if (options.fail?.()) return stripeError(500, 'stand-in failure (failNext)');

  const match = /^\/v1\/(checkout\/sessions|[a-z_]+)(?:\/([^/]+))?$/.exec(url.pathname);
  const type = match && COLLECTIONS[match[1] as string];
  if ((method !== 'GET' && method !== 'HEAD') || !match || !type) {
    return stripeError(404, `Unrecognized request URL (${method}: ${url.pathname})`);
  }
  const fields = expansions(url);
  const store = options.store;
  if (match[2] !== undefined) {
    const id = decodeURIComponent(match[2]);
    const found = store.get(id);
    if (found?.object !== type)
      return stripeError(404, `No such ${type}: '${id}'`, 'resource_missing');
    return [200, expand(found, fields, store)];
  }
  const filters = [...url.searchParams].filter(
    ([name]) => !PAGING.includes(name) && !name.startsWith('expand') && !isCreatedParam(name),
  );
  const found = store.list(type, (object) => filters.every(([k, v]) => fieldIs(object, k, v)));
  const [status, page] = listPage(found, url);
  if (status !== 200) return [status, page];
  const itemFields = fields.map((f) => f.replace(/^data\./, ''));
  const list = page as { data: StripeObject[] };
  return [status, { ...list, data: list.data.map((object) => expand(object, itemFields, store)) }];
}
