// Checks of what a data file holds, section by section: a file that is not what the devserver
// wrote stops the start with an error that says where, instead of misbehaving later.
import { parseIsoDate } from '../api/dates.js';
import { isUuid } from '../api/payload.js';
import type { PaymentRecord } from '../api/payment-store.js';
import type { EventRecord, StripeData, StripeObject } from '../stripe/index.js';
import { parsePaymentLink } from '../stripe/index.js';
import type { PageviewRecord } from '../tracker/pageviews.js';

/** A problem with a data file's content; the data file names the file. */
export class StoredDataProblem extends Error {}

type Raw = Record<string, unknown>;

function fail(reason: string): never {
  throw new StoredDataProblem(reason);
}

function object(value: unknown, where: string): Raw {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(`${where} is not an object`);
  }
  return value as Raw;
}

function array(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) fail(`${where} is not an array`);
  return value;
}

function strings(r: Raw, where: string, fields: string[], nullable = false): void {
  for (const field of fields) {
    const v = r[field];
    if (nullable && (v === null || v === undefined)) continue;
    if (typeof v !== 'string' || v === '') fail(`${where}.${field} is not a non-empty string`);
  }
}

function isoDates(r: Raw, where: string, fields: string[]): void {
  for (const field of fields) {
    if (!parseIsoDate(r[field] as string)) fail(`${where}.${field} is not an ISO date`);
  }
}

/** A stored payment, rebuilt field by field (unknown fields are dropped). */
export function checkPayment(raw: unknown, i: number): PaymentRecord {
  const where = `payments[${i}]`;
  const r = object(raw, where);
  strings(r, where, ['website_id', 'transaction_id', 'currency', 'timestamp', 'received_at']);
  if (typeof r.amount !== 'number' || !Number.isFinite(r.amount) || r.amount < 0) {
    fail(`${where}.amount is not a number >= 0`);
  }
  for (const field of ['renewal', 'refunded', 'is_free_trial']) {
    if (typeof r[field] !== 'boolean') fail(`${where}.${field} is not a boolean`);
  }
  isoDates(r, where, ['timestamp', 'received_at']);
  for (const field of ['email', 'name', 'customer_id', 'datafast_visitor_id']) {
    if (r[field] !== undefined && typeof r[field] !== 'string') {
      fail(`${where}.${field} is not a string`);
    }
  }
  if (r.datafast_visitor_id !== undefined && !isUuid(r.datafast_visitor_id as string)) {
    fail(`${where}.datafast_visitor_id is not a UUID`);
  }
  const record: PaymentRecord = {
    website_id: r.website_id as string,
    transaction_id: r.transaction_id as string,
    amount: r.amount as number,
    currency: r.currency as string,
    renewal: r.renewal as boolean,
    refunded: r.refunded as boolean,
    is_free_trial: r.is_free_trial as boolean,
    timestamp: r.timestamp as string,
    received_at: r.received_at as string,
  };
  for (const field of ['datafast_visitor_id', 'email', 'name', 'customer_id'] as const) {
    if (typeof r[field] === 'string') record[field] = r[field] as string;
  }
  return record;
}

/** A stored pageview, rebuilt field by field. */
export function checkPageview(raw: unknown, i: number): PageviewRecord {
  const where = `pageviews[${i}]`;
  const r = object(raw, where);
  strings(r, where, ['visitor_id', 'url', 'received_at']);
  strings(r, where, ['website_id', 'session_id', 'referrer', 'user_agent'], true);
  if (typeof r.ip !== 'string') fail(`${where}.ip is not a string`);
  if (!isUuid(r.visitor_id as string)) fail(`${where}.visitor_id is not a UUID`);
  if (!/^https?:\/\//.test(r.url as string)) fail(`${where}.url is not an http(s) URL`);
  isoDates(r, where, ['received_at']);
  const text = (field: string) => (typeof r[field] === 'string' ? (r[field] as string) : null);
  return {
    website_id: text('website_id'),
    visitor_id: r.visitor_id as string,
    session_id: text('session_id'),
    url: r.url as string,
    referrer: text('referrer'),
    ip: r.ip as string,
    user_agent: text('user_agent'),
    received_at: r.received_at as string,
  };
}

const EVENT_STATUSES = ['pending', 'delivering', 'delivered', 'failed', 'no endpoint'];

/** The Stripe stand-in's section: its links, objects (kept as Stripe shapes them) and events. */
export function checkStripe(raw: unknown): StripeData {
  const r = object(raw, 'stripe');
  const links = array(r.links ?? [], 'stripe.links').map((link, i) => {
    try {
      return parsePaymentLink(link, `stripe.links[${i}]`);
    } catch (error) {
      return fail((error as Error).message);
    }
  });
  const objects = array(r.objects ?? [], 'stripe.objects').map((value, i) => {
    const o = object(value, `stripe.objects[${i}]`);
    strings(o, `stripe.objects[${i}]`, ['id', 'object']);
    return o as StripeObject;
  });
  const events = array(r.events ?? [], 'stripe.events').map((value, i) => {
    const where = `stripe.events[${i}]`;
    const e = object(value, where);
    strings(object(e.event, `${where}.event`), `${where}.event`, ['id', 'type']);
    strings(e, where, ['session_id']);
    strings(e, where, ['link_id'], true); // null: a Checkout Session created with the API
    if (!EVENT_STATUSES.includes(e.status as string)) fail(`${where}.status is unknown`);
    array(e.deliveries, `${where}.deliveries`).forEach((d, j) => {
      object(d, `${where}.deliveries[${j}]`);
    });
    return e as unknown as EventRecord;
  });
  if (r.hold !== undefined && typeof r.hold !== 'boolean') fail('stripe.hold is not a boolean');
  return { links, objects, events, hold: r.hold === true };
}
