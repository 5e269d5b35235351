// The dashboard's script: its state, fed by the server-sent events of GET /__devserver/events,
// the filters, and a render on the next frame after each change. It runs in the browser:
// dashboardScript() serialises dashboardClient() with toString(), so it must not use anything
// from this module's scope. Writing it as TypeScript keeps it type-checked and linted.

import type { PaymentRecord } from '../api/payment-store.js';
import type { minorUnitDigits, StripeSummary } from '../stripe/index.js';
import type { AttributionReport, attributeRevenue, VisitorSource } from '../tracker/attribution.js';

// Type-only: erased at build time, so nothing of these modules reaches the browser.
export type ClientPayment = PaymentRecord;

export interface ClientRequest {
  id: number;
  method: string;
  path: string;
  status: number | null;
  fault?: string;
  duplicate?: boolean;
  at: string;
}

export type Kind = 'payment' | 'refund' | 'renewal' | 'trial';

/** What the page knows, from the snapshot and the events since. */
export interface DashboardState {
  payments: ClientPayment[];
  requests: ClientRequest[];
  stats: Record<string, number>;
  faults: Record<string, unknown>;
  websites: { id: string; domain: string }[];
  /** Where each visitor came from, by their first pageview. */
  visitors: Record<string, VisitorSource>;
  /** The Stripe stand-in's links, checkouts and events (no secrets). */
  stripe: StripeSummary;
}

/** Self-contained functions the dashboard shares with the server (tracker/attribution.ts, stripe/money.ts). */
export interface Helpers {
  attributeRevenue: typeof attributeRevenue;
  signedAmount: (p: { amount: number; refunded: boolean; is_free_trial: boolean }) => number;
  minorUnitDigits: typeof minorUnitDigits;
}

/** What every view gets: the state and the page's helpers. */
export interface Kit {
  state: DashboardState;
  $: <T extends HTMLElement>(id: string) => T;
  el: (tag: string, attrs?: Record<string, string>, ...children: (Node | string)[]) => HTMLElement;
  kindOf: (p: ClientPayment) => Kind;
  money: (amount: number, currency: string) => string;
  time: (iso: string) => string;
  /** The payment's effect on revenue: refunds take it away, trials bring none. */
  signed: (p: ClientPayment) => number;
  filters: () => { kind: Kind | ''; currency: string; website: string; text: string };
  /** Revenue by source, campaign and landing page of the rows shown (tracker/attribution.ts). */
  report: AttributionReport;
  /** A Stripe amount in its smallest unit, formatted: 2999 usd is $29.99. */
  moneyMinor: (amount: number, currency: string) => string;
  /** Sends a control request; resolves with the answer's JSON, or throws its error message. */
  control: (method: string, path: string, body?: unknown) => Promise<Record<string, unknown>>;
  helpers: Helpers;
}

/** Draws one part of the page (views.ts and the files beside it). */
export type View = (kit: Kit, rows: ClientPayment[]) => void;

/** The dashboard's script: runs in the browser, drawing the page with the views it is given. */
export function dashboardClient(views: Record<string, View>, helpers: Helpers) {
  const state: DashboardState = {
    payments: [],
    requests: [],
    stats: {},
    faults: {},
    websites: [],
    visitors: {},
    stripe: { hold: false, links: [], sessions: [], events: [] },
  };
  const MAX_REQUESTS = 30;

  const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
  const el = (tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    // textContent only: every value shown here came from an HTTP client.
    for (const child of children) node.append(child);
    return node;
  };
  const kindOf = (p: ClientPayment): Kind =>
    p.refunded ? 'refund' : p.is_free_trial ? 'trial' : p.renewal ? 'renewal' : 'payment';
  const money = (amount: number, currency: string) => {
    try {
      return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount);
    } catch {
      return `${amount.toFixed(2)} ${currency}`;
    }
  };
  const time = (iso: string) => new Date(iso).toLocaleString();
  const signed = helpers.signedAmount;
  const moneyMinor = (amount: number, currency: string) =>
    money(amount / 10 ** helpers.minorUnitDigits(currency), currency.toUpperCase());
  const control = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`/__devserver${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) {
      const error = answer.error as { message?: string } | undefined;
      throw new Error(error?.message ?? `HTTP ${response.status}`);
    }
    return answer;
  };

  const filters = (): ReturnType<Kit['filters']> => ({
    kind: ($<HTMLSelectElement>('f-kind').value || '') as Kind | '',
    currency: $<HTMLSelectElement>('f-currency').value,
    website: $<HTMLSelectElement>('f-website').value,
    text: $<HTMLInputElement>('f-text').value.trim().toLowerCase(),
  });
  const visible = () => {
    const f = filters();
    return state.payments.filter((p) => {
      if (f.kind && kindOf(p) !== f.kind) return false;
      if (f.currency && p.currency !== f.currency) return false;
      if (f.website && p.website_id !== f.website) return false;
      if (f.text) {
        const hay = [p.transaction_id, p.datafast_visitor_id, p.email, p.name, p.customer_id]
          .filter(Boolean)
          .join(' ')
          .toLowerCase();
        if (!hay.includes(f.text)) return false;
      }
      return true;
    });
  };

  const fillSelect = (id: string, values: [string, string][]) => {
    const select = $<HTMLSelectElement>(id);
    const current = select.value;
    const options = [
      el('option', { value: '' }, 'all'),
      ...values.map(([v, label]) => el('option', { value: v }, label)),
    ];
    select.replaceChildren(...options);
    if (values.some(([v]) => v === current)) select.value = current;
  };

  const kit: Kit = {
    state,
    $,
    el,
    kindOf,
    money,
    time,
    signed,
    filters,
    report: helpers.attributeRevenue([], {}, signed),
    moneyMinor,
    control,
    helpers,
  };

  let scheduled = false;
  const render = () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      const currencies = [...new Set(state.payments.map((p) => p.currency))].sort();
      fillSelect(
        'f-currency',
        currencies.map((c) => [c, c]),
      );
      const sites = new Map(state.websites.map((w) => [w.id, `${w.id} (${w.domain})`]));
      for (const p of state.payments)
        if (!sites.has(p.website_id)) sites.set(p.website_id, p.website_id);
      fillSelect('f-website', [...sites]);
      const rows = visible();
      kit.report = helpers.attributeRevenue(rows, state.visitors, signed);
      for (const view of Object.values(views)) view(kit, rows);
    });
  };

  for (const id of ['f-kind', 'f-currency', 'f-website', 'f-text'])
    $(id).addEventListener('input', render);

  const key = (p: { website_id: string; transaction_id: string }) =>
    `${p.website_id}\u0000${p.transaction_id}`;
  const source = new EventSource('/__devserver/events');
  const on = (event: string, handle: (data: never) => void) =>
    source.addEventListener(event, (e) => {
      handle(JSON.parse((e as MessageEvent<string>).data) as never);
      render();
    });
  on('snapshot', (data: typeof state) => Object.assign(state, data));
  on('payment', (p: ClientPayment) => state.payments.push(p));
  on('deleted', (data: { records: ClientPayment[] }) => {
    const gone = new Set(data.records.map(key));
    state.payments = state.payments.filter((p) => !gone.has(key(p)));
  });
  // Records a failed delete put back, in their places: the whole list comes with them.
  on('restored', (data: { payments: ClientPayment[] }) => {
    state.payments = data.payments;
  });
  on('cleared', () => {
    state.payments = [];
    state.requests = [];
    state.visitors = {};
  });
  on('visitor', (v: VisitorSource) => {
    state.visitors[v.visitor_id] = v;
  });
  on('stripe', (summary: StripeSummary) => {
    state.stripe = summary;
  });
  on('request', (r: ClientRequest) => {
    const i = state.requests.findIndex((x) => x.id === r.id);
    if (i >= 0) state.requests[i] = r;
    else state.requests.push(r);
    if (state.requests.length > MAX_REQUESTS)
      state.requests.splice(0, state.requests.length - MAX_REQUESTS);
  });
  on('stats', (s: Record<string, number>) => {
    state.stats = s;
  });
  on('faults', (f: Record<string, unknown>) => {
    state.faults = f;
  });
  source.addEventListener('open', () => {
    document.body.dataset.connected = 'true';
  });
  source.addEventListener('error', () => {
    document.body.dataset.connected = 'false';
  });
}
