// The dashboard's views: each draws one part of the page from the filtered rows. They run in
// the browser: dashboardScript() serialises each with toString() and hands them to the client,
// so none may use anything from this module's scope, only what it gets in `kit`.

import { attributionView } from './attribution-view.js';
import type { ClientPayment, Kind, Kit } from './client.js';
import { stripeView } from './stripe-view.js';

/**
 * The counter cards: records by kind in the rows, the share of revenue that arrived
 * unattributed (of the currency with the most), requests and faults since the reset.
 */
export function cardsView(kit: Kit, rows: ClientPayment[]) {
  const { state, $, el, kindOf, report } = kit;
  const count = (k: Kind) => rows.filter((p) => kindOf(p) === k).length;
  const [main] = Object.entries(report.unattributed.byCurrency).sort(
    (a, b) => b[1].total - a[1].total,
  );
  // Why a card's number is what it is, where that is not obvious: shown under it.
  const duplicates = state.stats.duplicates ?? 0;
  const notes: Record<string, string> = {
    'Duplicates rejected':
      duplicates > 0
        ? 'the same transaction_id again, counted once: expected when both a webhook and a success page report a payment (a payment link, Checkout), or a webhook is redelivered'
        : '',
  };
  const cards: [string, string | number][] = [
    [
      main ? `Unattributed revenue (${main[0]})` : 'Unattributed revenue',
      main ? `${Math.round(main[1].share * 1000) / 10}%` : '—',
    ],
    ['Payments', count('payment')],
    ['Renewals', count('renewal')],
    ['Refunds', count('refund')],
    ['Trials', count('trial')],
    ['Duplicates rejected', duplicates],
    ['API requests', state.stats.requests ?? 0],
    ['Rejected (4xx)', state.stats.rejected ?? 0],
    ['Faults injected', state.stats.faulted ?? 0],
  ];
  $('cards').replaceChildren(
    ...cards.map(([label, value]) =>
      el(
        'div',
        { class: 'card', 'data-card': label },
        el('b', {}, String(value)),
        el('span', {}, label),
        ...(notes[label] ? [el('small', { class: 'note' }, notes[label])] : []),
      ),
    ),
  );
}

/** Revenue by currency (gross, refunds, net) and the ten visitors who brought the most. */
export function revenueView(kit: Kit, rows: ClientPayment[]) {
  const { $, el, kindOf, money, signed } = kit;
  const byCurrency = new Map<string, { gross: number; refunds: number; net: number }>();
  for (const p of rows) {
    const r = byCurrency.get(p.currency) ?? { gross: 0, refunds: 0, net: 0 };
    const kind = kindOf(p);
    if (kind === 'refund') r.refunds += p.amount;
    else if (kind !== 'trial') r.gross += p.amount;
    r.net += signed(p);
    byCurrency.set(p.currency, r);
  }
  const body = [...byCurrency].map(([c, r]) =>
    el(
      'tr',
      { 'data-currency': c },
      el('td', {}, c),
      el('td', { class: 'num' }, money(r.gross, c)),
      el('td', { class: 'num' }, money(r.refunds, c)),
      el('td', { class: 'num' }, money(r.net, c)),
    ),
  );
  $('revenue').replaceChildren(
    ...(body.length
      ? body
      : [el('tr', {}, el('td', { colspan: '4', class: 'empty' }, 'No revenue yet'))]),
  );

  const byVisitor = new Map<string, Map<string, number>>();
  for (const p of rows) {
    const v = p.datafast_visitor_id ?? '(unattributed)';
    const sums = byVisitor.get(v) ?? new Map<string, number>();
    sums.set(p.currency, (sums.get(p.currency) ?? 0) + signed(p));
    byVisitor.set(v, sums);
  }
  const visitors = [...byVisitor].map(([v, sums]) => ({
    v,
    sums,
    total: [...sums.values()].reduce((a, b) => a + b, 0),
  }));
  visitors.sort((a, b) => b.total - a.total);
  const vrows = visitors
    .slice(0, 10)
    .map(({ v, sums }) =>
      el(
        'tr',
        {},
        el('td', { class: 'mono' }, v),
        el('td', { class: 'num' }, [...sums].map(([c, n]) => money(n, c)).join(' · ')),
      ),
    );
  $('visitors').replaceChildren(
    ...(vrows.length
      ? vrows
      : [el('tr', {}, el('td', { colspan: '2', class: 'empty' }, 'No visitors yet'))]),
  );
}

/** Net revenue over time, one currency at a time, in bars of a step that fits about 48. */
export function chartView(kit: Kit, rows: ClientPayment[]) {
  const { $, kindOf, money, signed, filters } = kit;
  const svg = $('chart');
  const f = filters();
  // One currency at a time: the filtered one, else the most used.
  const counts = new Map<string, number>();
  for (const p of rows) counts.set(p.currency, (counts.get(p.currency) ?? 0) + 1);
  const currency = f.currency || [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  $('chart-title').textContent = currency
    ? `Net revenue over time (${currency})`
    : 'Net revenue over time';
  // Trials carry no revenue: leaving them out keeps the time axis on the money.
  const points = rows
    .filter((p) => p.currency === currency && kindOf(p) !== 'trial')
    .map((p) => ({ t: Date.parse(p.timestamp), v: signed(p) }));
  svg.replaceChildren();
  $('chart-range').textContent = '';
  if (points.length === 0) return;
  const min = Math.min(...points.map((p) => p.t));
  const max = Math.max(...points.map((p) => p.t));
  const steps = [60e3, 5 * 60e3, 3600e3, 86400e3, 7 * 86400e3, 30 * 86400e3];
  const step = steps.find((s) => (max - min) / s <= 48) ?? 365 * 86400e3;
  const first = Math.floor(min / step) * step;
  const n = Math.floor((max - first) / step) + 1;
  const buckets = new Array<number>(n).fill(0);
  for (const p of points) {
    const i = Math.floor((p.t - first) / step);
    buckets[i] = (buckets[i] ?? 0) + p.v;
  }
  const W = 600;
  const H = 140;
  const top = Math.max(0, ...buckets);
  const bottom = Math.min(0, ...buckets);
  const span = top - bottom || 1;
  const zero = (top / span) * H;
  const w = W / n;
  const ns = 'http://www.w3.org/2000/svg';
  buckets.forEach((v, i) => {
    const rect = document.createElementNS(ns, 'rect');
    const h = (Math.abs(v) / span) * H;
    rect.setAttribute('x', String(i * w + w * 0.1));
    rect.setAttribute('width', String(Math.max(1, w * 0.8)));
    rect.setAttribute('y', String(v >= 0 ? zero - h : zero));
    rect.setAttribute('height', String(Math.max(v === 0 ? 0 : 1, h)));
    rect.setAttribute('class', v >= 0 ? 'bar' : 'bar neg');
    const title = document.createElementNS(ns, 'title');
    title.textContent = `${new Date(first + i * step).toLocaleString()}: ${money(v, currency as string)}`;
    rect.append(title);
    svg.append(rect);
  });
  const axis = document.createElementNS(ns, 'line');
  for (const [k, v] of [
    ['x1', '0'],
    ['x2', String(W)],
    ['y1', String(zero)],
    ['y2', String(zero)],
  ])
    axis.setAttribute(k as string, v as string);
  axis.setAttribute('class', 'axis');
  svg.append(axis);
  const unit =
    step === 86400e3
      ? 'day'
      : step > 86400e3
        ? `${step / 86400e3} days`
        : step === 3600e3
          ? 'hour'
          : `${step / 60e3} min`;
  $('chart-range').textContent =
    `${new Date(first).toLocaleString()} to ${new Date(first + n * step).toLocaleString()}, ` +
    `one bar per ${unit}, highest ${money(top, currency as string)}`;
}

/** The payments, newest first, at most 500 rows. */
export function tableView(kit: Kit, rows: ClientPayment[]) {
  const { state, $, el, kindOf, money, time } = kit;
  const newest = [...rows].reverse().slice(0, 500);
  $('payments').replaceChildren(
    ...(newest.length
      ? newest.map((p) => {
          const kind = kindOf(p);
          return el(
            'tr',
            { 'data-transaction-id': p.transaction_id, class: kind },
            el('td', {}, time(p.timestamp)),
            el('td', {}, el('span', { class: `tag ${kind}` }, kind)),
            el('td', { class: 'num' }, money(kind === 'refund' ? -p.amount : p.amount, p.currency)),
            el('td', { class: 'mono' }, p.transaction_id),
            el('td', { class: 'mono' }, p.datafast_visitor_id ?? '—'),
            el('td', {}, [p.email, p.name, p.customer_id].filter(Boolean).join(' · ') || '—'),
            el('td', { class: 'mono' }, p.website_id),
          );
        })
      : [
          el(
            'tr',
            {},
            el(
              'td',
              { colspan: '7', class: 'empty' },
              'No payments match. POST /api/v1/payments to add one.',
            ),
          ),
        ]),
  );
  $('shown').textContent = `${rows.length} of ${state.payments.length}`;
}

/** The recent API requests and the current faults. */
export function requestsView(kit: Kit, _rows: ClientPayment[]) {
  const { state, $, el, time } = kit;
  $('requests').replaceChildren(
    ...[...state.requests]
      .reverse()
      .map((r) =>
        el(
          'tr',
          { class: r.fault ? 'fault' : r.status !== null && r.status >= 400 ? 'rejected' : '' },
          el('td', {}, time(r.at)),
          el('td', {}, `${r.method} ${r.path}`),
          el('td', {}, r.status === null ? '—' : String(r.status)),
          el('td', {}, r.fault ?? (r.duplicate ? 'duplicate' : '')),
        ),
      ),
  );
  const f = state.faults;
  $('faults').textContent = Object.keys(f).length ? JSON.stringify(f) : 'none';
}

/** Every view, by the name the client calls it. */
export const VIEWS = {
  cards: cardsView,
  attribution: attributionView,
  stripe: stripeView,
  revenue: revenueView,
  chart: chartView,
  table: tableView,
  requests: requestsView,
};
