// The dashboard at GET /: one HTML page and one script, both served by the devserver itself
// (no CDN, no build step), fed live by the server-sent events of GET /__devserver/events.
//
// dashboardClient() runs in the browser: it is serialised with toString(), so it must not use
// anything from this module's scope. Writing it as TypeScript keeps it type-checked and linted.

import type { PaymentRecord } from './store.js';

// Type-only: erased at build time, so nothing of the store's module reaches the browser.
type ClientPayment = PaymentRecord;

interface ClientRequest {
  id: number;
  method: string;
  path: string;
  status: number | null;
  fault?: string;
  duplicate?: boolean;
  at: string;
}

function dashboardClient() {
  type Kind = 'payment' | 'refund' | 'renewal' | 'trial';
  const state = {
    payments: [] as ClientPayment[],
    requests: [] as ClientRequest[],
    stats: {} as Record<string, number>,
    faults: {} as Record<string, unknown>,
    websites: [] as { id: string; domain: string }[],
  };
  const MAX_REQUESTS = 30;
  const MAX_ROWS = 500;

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
  // Refunds take revenue away, trials bring none.
  const signed = (p: ClientPayment) => {
    const kind = kindOf(p);
    return kind === 'refund' ? -p.amount : kind === 'trial' ? 0 : p.amount;
  };

  const filters = () => ({
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

  const renderCards = (rows: ClientPayment[]) => {
    const count = (k: Kind) => rows.filter((p) => kindOf(p) === k).length;
    const cards: [string, string | number][] = [
      ['Payments', count('payment')],
      ['Renewals', count('renewal')],
      ['Refunds', count('refund')],
      ['Trials', count('trial')],
      ['Duplicates rejected', state.stats.duplicates ?? 0],
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
        ),
      ),
    );
  };

  const renderRevenue = (rows: ClientPayment[]) => {
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
  };

  const renderChart = (rows: ClientPayment[]) => {
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
  };

  const renderTable = (rows: ClientPayment[]) => {
    const newest = [...rows].reverse().slice(0, MAX_ROWS);
    $('payments').replaceChildren(
      ...(newest.length
        ? newest.map((p) => {
            const kind = kindOf(p);
            return el(
              'tr',
              { 'data-transaction-id': p.transaction_id, class: kind },
              el('td', {}, time(p.timestamp)),
              el('td', {}, el('span', { class: `tag ${kind}` }, kind)),
              el(
                'td',
                { class: 'num' },
                money(kind === 'refund' ? -p.amount : p.amount, p.currency),
              ),
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
  };

  const renderRequests = () => {
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
      renderCards(rows);
      renderRevenue(rows);
      renderChart(rows);
      renderTable(rows);
      renderRequests();
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
  on('cleared', () => {
    state.payments = [];
    state.requests = [];
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

const STYLE = `
:root { color-scheme: light dark; --fg: #1c1c1e; --muted: #6b6b70; --bg: #fafafa; --panel: #fff;
  --line: #e3e3e6; --accent: #e8590c; --neg: #c92a2a; --ok: #2b8a3e; }
@media (prefers-color-scheme: dark) { :root { --fg: #ececef; --muted: #9a9aa1; --bg: #151517;
  --panel: #1e1e21; --line: #2e2e33; } }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; align-items: baseline; gap: 1rem; padding: 1rem 1.5rem; border-bottom: 1px solid var(--line); flex-wrap: wrap; }
header h1 { font-size: 1.1rem; margin: 0; }
header small { color: var(--muted); }
#status::before { content: "●"; margin-right: .35rem; color: var(--neg); }
body[data-connected="true"] #status::before { color: var(--ok); }
main { padding: 1rem 1.5rem; display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); }
section { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: .75rem 1rem; min-width: 0; }
section.wide { grid-column: 1 / -1; }
h2 { font-size: .95rem; margin: 0 0 .5rem; }
#cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(120px, 1fr)); gap: .5rem; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .75rem; }
.card b { display: block; font-size: 1.3rem; }
.card span { color: var(--muted); font-size: .8rem; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: .3rem .4rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 500; font-size: .8rem; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.mono { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .8rem; word-break: break-all; }
.empty { color: var(--muted); text-align: center; }
.tag { font-size: .75rem; padding: .05rem .4rem; border-radius: 4px; border: 1px solid var(--line); }
.tag.refund { color: var(--neg); } .tag.trial { color: var(--muted); } .tag.renewal { color: var(--accent); }
tr.fault td { color: var(--neg); } tr.rejected td { color: var(--accent); }
.filters { display: flex; gap: .5rem; flex-wrap: wrap; margin-bottom: .5rem; align-items: center; }
.filters label { color: var(--muted); font-size: .8rem; display: flex; gap: .25rem; align-items: center; }
select, input { font: inherit; padding: .2rem .35rem; }
svg { width: 100%; height: 150px; }
#chart-range { color: var(--muted); }
.bar { fill: var(--accent); } .bar.neg { fill: var(--neg); } .axis { stroke: var(--muted); stroke-width: 1; }
.scroll { max-height: 480px; overflow: auto; }
`;

/**
 * The dashboard page served at `GET /`.
 *
 * @example
 * sendText(res, 200, 'text/html; charset=utf-8', dashboardHtml());
 */
export function dashboardHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>DataFast devserver</title>
<style>${STYLE}</style>
<script src="/__devserver/dashboard.js" defer></script>
</head>
<body data-connected="false">
<header>
  <h1>DataFast devserver</h1>
  <small>A local stand-in for the DataFast Payments API, for development and tests. Not DataFast.</small>
  <small id="status">live</small>
</header>
<main>
  <section class="wide"><div id="cards"></div></section>
  <section class="wide">
    <div class="filters">
      <label>Type <select id="f-kind"><option value="">all</option><option value="payment">payments</option><option value="renewal">renewals</option><option value="refund">refunds</option><option value="trial">trials</option></select></label>
      <label>Currency <select id="f-currency"><option value="">all</option></select></label>
      <label>Website <select id="f-website"><option value="">all</option></select></label>
      <label>Search <input id="f-text" type="search" placeholder="transaction, visitor, email"></label>
      <small>showing <span id="shown">0 of 0</span></small>
    </div>
    <h2 id="chart-title">Net revenue over time</h2>
    <svg id="chart" viewBox="0 0 600 140" preserveAspectRatio="none" role="img" aria-label="net revenue over time"></svg>
    <small id="chart-range"></small>
  </section>
  <section>
    <h2>Revenue by currency</h2>
    <table><thead><tr><th>Currency</th><th class="num">Gross</th><th class="num">Refunds</th><th class="num">Net</th></tr></thead><tbody id="revenue"></tbody></table>
  </section>
  <section>
    <h2>Revenue by visitor (top 10)</h2>
    <table><thead><tr><th>Visitor</th><th class="num">Net</th></tr></thead><tbody id="visitors"></tbody></table>
  </section>
  <section class="wide">
    <h2>Payments (latest received first)</h2>
    <div class="scroll"><table><thead><tr><th>Time</th><th>Type</th><th class="num">Amount</th><th>Transaction</th><th>Visitor</th><th>Customer</th><th>Website</th></tr></thead><tbody id="payments"></tbody></table></div>
  </section>
  <section class="wide">
    <h2>Recent API requests</h2>
    <p>Faults: <code id="faults">none</code></p>
    <div class="scroll"><table><thead><tr><th>Time</th><th>Request</th><th>Status</th><th>Note</th></tr></thead><tbody id="requests"></tbody></table></div>
  </section>
</main>
</body>
</html>
`;
}

/**
 * The dashboard's script, served at `GET /__devserver/dashboard.js`.
 *
 * @example
 * sendText(res, 200, 'text/javascript; charset=utf-8', dashboardScript());
 */
export function dashboardScript(): string {
  return `(${dashboardClient.toString()})();\n`;
}
