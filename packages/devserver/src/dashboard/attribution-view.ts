// The dashboard's revenue-by-source views. Like views.ts they run in the browser
// (serialised with toString()), so they use nothing from this module's scope, only the kit.

import type { ClientPayment, Kit } from './client.js';

/**
 * How much revenue arrived unattributed (the number that says an integration is broken), and
 * revenue by source, by campaign and by landing page of the payments shown.
 */
export function attributionView(kit: Kit, _rows: ClientPayment[]) {
  const { $, el, money, report } = kit;
  const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;
  const { unattributed } = report;
  const shares = Object.entries(unattributed.byCurrency).map(
    ([currency, s]) =>
      `${percent(s.share)} of ${currency} revenue (${money(s.unattributed, currency)} of ${money(s.total, currency)})`,
  );
  const why = [
    unattributed.withoutVisitor ? `${unattributed.withoutVisitor} without a visitor id` : '',
    unattributed.withoutPageview
      ? `${unattributed.withoutPageview} with a visitor the tracker never saw`
      : '',
  ].filter(Boolean);
  const summary = $('unattributed');
  summary.textContent = shares.length
    ? `Unattributed: ${shares.join(' · ')}${why.length ? `: ${why.join(', ')}` : ''}.`
    : 'No revenue yet.';
  summary.dataset.share = String(
    Math.max(0, ...Object.values(unattributed.byCurrency).map((s) => s.share)),
  );

  const table = (id: string, rows: typeof report.bySource, empty: string) => {
    $(id).replaceChildren(
      ...(rows.length
        ? rows.map((row) =>
            el(
              'tr',
              { 'data-key': row.key, class: row.key === '(unattributed)' ? 'unattributed' : '' },
              el('td', {}, row.key),
              el('td', { class: 'num' }, String(row.payments)),
              el(
                'td',
                { class: 'num' },
                Object.entries(row.net)
                  .map(([currency, net]) => money(net, currency))
                  .join(' · '),
              ),
            ),
          )
        : [el('tr', {}, el('td', { colspan: '3', class: 'empty' }, empty))]),
    );
  };
  table('by-source', report.bySource, 'No revenue yet');
  table('by-campaign', report.byCampaign, 'No revenue yet');
  table('by-landing', report.byLandingPage, 'No revenue yet');
}
