// The dashboard at GET /: one HTML page and one script, both served by the devserver itself
// (no CDN, no build step). The script is client.ts with the views of views.ts; the page here
// is its markup and style.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendText } from '../http/messages.js';
import { minorUnitDigits } from '../stripe/index.js';
import { attributeRevenue, signedAmount } from '../tracker/attribution.js';
import { dashboardClient } from './client.js';
import { VIEWS } from './views.js';

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
.card .note { display: block; color: var(--muted); font-size: .7rem; margin-top: .25rem; max-width: 16rem; }
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
#unattributed { margin: 0 0 .5rem; }
tr.unattributed td { color: var(--neg); }
.tag.paid, .tag.delivered { color: var(--ok); } .tag.unpaid, .tag.failed { color: var(--neg); }
.tag.pending, .tag.delivering { color: var(--accent); }
.payment { white-space: nowrap; } .payment input { width: 6.5rem; }
.actions button, .payment button { margin: 0 .25rem .25rem 0; }
button { font: inherit; padding: .15rem .5rem; cursor: pointer; }
details summary { cursor: pointer; color: var(--muted); font-size: .8rem; }
#stripe-new-link { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin: .5rem 0 1rem; }
#stripe-new-link label { display: flex; flex-direction: column; font-size: .8rem; color: var(--muted); }
#stripe-message { min-height: 1.2rem; font-size: .85rem; word-break: break-all; }
#stripe-message.error { color: var(--neg); }
h3 { font-size: .85rem; margin: 1rem 0 .35rem; }
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
  <section>
    <h2>Revenue by source</h2>
    <p id="unattributed" data-share="0">No revenue yet.</p>
    <table><thead><tr><th>Source (first pageview)</th><th class="num">Payments</th><th class="num">Net</th></tr></thead><tbody id="by-source"></tbody></table>
  </section>
  <section>
    <h2>Revenue by campaign</h2>
    <table><thead><tr><th>utm_campaign</th><th class="num">Payments</th><th class="num">Net</th></tr></thead><tbody id="by-campaign"></tbody></table>
  </section>
  <section>
    <h2>Revenue by landing page</h2>
    <table><thead><tr><th>Landing page</th><th class="num">Payments</th><th class="num">Net</th></tr></thead><tbody id="by-landing"></tbody></table>
  </section>
  <section class="wide">
    <h2>Payments (latest received first)</h2>
    <div class="scroll"><table><thead><tr><th>Time</th><th>Type</th><th class="num">Amount</th><th>Transaction</th><th>Visitor</th><th>Customer</th><th>Website</th></tr></thead><tbody id="payments"></tbody></table></div>
  </section>
  <section class="wide" id="stripe">
    <h2>Stripe stand-in: payment links, checkouts, webhook events</h2>
    <p><small>A local stand-in for Stripe's hosted checkout and webhooks (not Stripe): pay a link, then try each hard case of a webhook handler. Apps read its API at this address (STRIPE_API_BASE) with its secret key.</small></p>
    <label><input type="checkbox" id="stripe-hold"> Hold new events (then send them from a checkout, in order or reversed)</label>
    <p id="stripe-message" role="status"></p>
    <h3>Payment links</h3>
    <div class="scroll"><table><thead><tr><th>Product</th><th>Price</th><th>Link</th><th>Webhook</th></tr></thead><tbody id="stripe-links"></tbody></table></div>
    <form id="stripe-new-link">
      <label>Product <input name="name" required value="Pro plan"></label>
      <label>Amount <input name="amount" type="number" step="any" min="0" required value="29.99"></label>
      <label>Currency <input name="currency" value="usd" maxlength="3" size="4"></label>
      <label>Billing <select name="interval"><option value="once">once</option><option value="month">monthly</option><option value="year">yearly</option></select></label>
      <label>Trial days <input name="trialDays" type="number" min="0" value="0" size="4"></label>
      <label>Method <select name="paymentMethod"><option value="card">card</option><option value="sepa_debit">SEPA debit (settles later)</option></select></label>
      <label>Webhook URL <input name="webhookUrl" type="url" placeholder="http://127.0.0.1:3000/api/webhooks/stripe"></label>
      <label>Signing secret <input name="webhookSecret" placeholder="whsec_… (generated if empty)"></label>
      <label>Success URL <input name="successUrl" type="url" placeholder="http://127.0.0.1:3000/success?session_id={CHECKOUT_SESSION_ID}"></label>
      <button type="submit">Create link</button>
    </form>
    <h3>Checkouts</h3>
    <div class="scroll"><table><thead><tr><th>Time</th><th>Checkout</th><th class="num">Amount</th><th>Status</th><th>client_reference_id</th><th>Payments</th><th>Hard cases</th></tr></thead><tbody id="stripe-sessions"></tbody></table></div>
    <h3>Webhook events (latest first)</h3>
    <div class="scroll"><table><thead><tr><th>Time</th><th>Event</th><th>Status</th><th>Last delivery</th><th></th></tr></thead><tbody id="stripe-events"></tbody></table></div>
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
  const serialise = (functions: Record<string, (...args: never[]) => unknown>) =>
    `{ ${Object.entries(functions)
      .map(([name, f]) => `${name}: ${f.toString()}`)
      .join(', ')} }`;
  const helpers = { attributeRevenue, signedAmount, minorUnitDigits };
  return `(${dashboardClient.toString()})(${serialise(VIEWS)}, ${serialise(helpers)});\n`;
}

/** `GET /`: the dashboard page. */
export function handleDashboard(_req: IncomingMessage, res: ServerResponse): void {
  sendText(res, 200, 'text/html; charset=utf-8', dashboardHtml());
}
