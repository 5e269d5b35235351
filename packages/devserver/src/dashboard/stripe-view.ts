// The dashboard's Stripe stand-in panel: payment links (and a form for new ones), checkouts with
// one button per hard case (refund, renew, settle, send held events in order or reversed), and
// every event with its delivery log and a redeliver button. It runs in the browser (serialised
// with toString()), so it uses nothing from this module's scope, only the kit.

import type { ClientPayment, Kit } from './client.js';

/** The Stripe panel; its buttons call the `/__devserver/stripe/*` control endpoints. */
export function stripeView(kit: Kit, _rows: ClientPayment[]) {
  const { state, $, el, time, moneyMinor, control, helpers } = kit;
  const panel = $('stripe') as HTMLElement & { rendered?: unknown };
  const say = (text: string, failed = false) => {
    const message = $('stripe-message');
    message.textContent = text;
    message.className = failed ? 'error' : '';
  };
  const act = (request: Promise<unknown>, done = '') =>
    request.then(
      () => say(done),
      (error: Error) => say(error.message, true),
    );
  const minor = (major: string, currency: string) =>
    Math.round(Number(major) * 10 ** helpers.minorUnitDigits(currency));

  // Wired once: the markup of the form and the switch is static, the rows are redrawn.
  if (!panel.dataset.wired) {
    panel.dataset.wired = 'true';
    panel.addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLButtonElement>('button[data-action]');
      if (!button) return;
      const { action, id = '' } = button.dataset;
      const at = encodeURIComponent(id);
      if (action === 'refund') {
        const input = button.parentElement?.querySelector('input');
        const amount = minor(input?.value ?? '', button.dataset.currency ?? 'usd');
        act(control('POST', '/stripe/refunds', { payment_intent: id, amount }), `Refunded ${id}`);
      }
      if (action === 'renew')
        act(control('POST', `/stripe/subscriptions/${at}/renew`), `Renewed ${id}`);
      if (action === 'settle') {
        const outcome = button.dataset.outcome;
        act(control('POST', `/stripe/sessions/${at}/settle`, { outcome }), `Settled ${id}`);
      }
      if (action === 'deliver') {
        const order = button.dataset.order;
        act(control('POST', `/stripe/sessions/${at}/deliver`, { order }), `Sent (${order})`);
      }
      if (action === 'redeliver')
        act(control('POST', `/stripe/events/${at}/redeliver`), `Redelivering ${id}`);
    });
    $<HTMLInputElement>('stripe-hold').addEventListener('change', (event) => {
      const hold = (event.target as HTMLInputElement).checked;
      act(control('PUT', '/stripe/hold', { hold }));
    });
    $<HTMLFormElement>('stripe-new-link').addEventListener('submit', (event) => {
      event.preventDefault();
      const form = new FormData(event.target as HTMLFormElement);
      const text = (name: string) => String(form.get(name) ?? '').trim();
      const currency = text('currency').toLowerCase() || 'usd';
      const link: Record<string, unknown> = {
        name: text('name'),
        unitAmount: minor(text('amount'), currency),
        currency,
        interval: text('interval') || 'once',
        paymentMethod: text('paymentMethod') || 'card',
      };
      if (Number(text('trialDays')) > 0) link.trialDays = Number(text('trialDays'));
      for (const name of ['webhookUrl', 'webhookSecret', 'successUrl']) {
        if (text(name)) link[name] = text(name);
      }
      control('POST', '/stripe/links', link).then(
        (answer) => {
          const created = answer.link as { url: string; webhookSecret: string };
          say(
            `Created ${created.url}` +
              (link.webhookSecret
                ? ''
                : `; its signing secret (shown once): ${created.webhookSecret}`),
          );
        },
        (error: Error) => say(error.message, true),
      );
    });
  }

  const summary = state.stripe;
  // Redrawn only when the stand-in changed, so a refund amount being typed is kept.
  if (panel.rendered === summary) return;
  panel.rendered = summary;
  $<HTMLInputElement>('stripe-hold').checked = summary.hold;
  const empty = (columns: number, text: string) =>
    el('tr', {}, el('td', { colspan: String(columns), class: 'empty' }, text));
  const button = (label: string, data: Record<string, string>) =>
    el('button', Object.fromEntries(Object.entries(data).map(([k, v]) => [`data-${k}`, v])), label);

  $('stripe-links').replaceChildren(
    ...(summary.links.length
      ? summary.links.map((link) =>
          el(
            'tr',
            { 'data-link': link.id },
            el('td', {}, link.name),
            el('td', {}, link.price),
            el('td', { class: 'mono' }, el('a', { href: link.url, target: '_blank' }, link.url)),
            el('td', { class: 'mono' }, link.webhookUrl ?? '—'),
          ),
        )
      : [empty(4, 'No payment links: create one below, or in the config (stripe.paymentLinks).')]),
  );

  $('stripe-sessions').replaceChildren(
    ...(summary.sessions.length
      ? summary.sessions.map((s) => {
          const payments = s.payments.map((p) => {
            const left = p.amount - p.refunded;
            const digits = helpers.minorUnitDigits(s.currency);
            return el(
              'div',
              { class: 'payment' },
              el('span', { class: 'mono' }, p.id),
              ` ${moneyMinor(p.amount, s.currency)}`,
              p.refunded ? ` (refunded ${moneyMinor(p.refunded, s.currency)})` : '',
              p.status === 'succeeded' && left > 0
                ? el(
                    'span',
                    {},
                    ' ',
                    el('input', {
                      name: 'refund',
                      type: 'number',
                      step: String(10 ** -digits),
                      value: (left / 10 ** digits).toFixed(digits),
                      'aria-label': `Refund amount for ${p.id}`,
                    }),
                    button('Refund', { action: 'refund', id: p.id, currency: s.currency }),
                  )
                : '',
            );
          });
          const actions = [
            s.subscription
              ? button('Renew (next period)', { action: 'renew', id: s.subscription })
              : '',
            s.settleable
              ? button('Payment succeeds', { action: 'settle', id: s.id, outcome: 'succeeded' })
              : '',
            s.settleable
              ? button('Payment fails', { action: 'settle', id: s.id, outcome: 'failed' })
              : '',
            s.pending
              ? button(`Send ${s.pending} held`, { action: 'deliver', id: s.id, order: 'created' })
              : '',
            s.pending > 1
              ? button('Send held, reversed', { action: 'deliver', id: s.id, order: 'reverse' })
              : '',
          ];
          return el(
            'tr',
            { 'data-session': s.id },
            el('td', {}, time(new Date(s.created * 1000).toISOString())),
            el('td', {}, `${s.name} (${s.mode})`, el('div', { class: 'mono' }, s.id)),
            el('td', { class: 'num' }, moneyMinor(s.amount_total, s.currency)),
            el('td', {}, el('span', { class: `tag ${s.payment_status}` }, s.payment_status)),
            el('td', { class: 'mono' }, s.client_reference_id ?? '— (no visitor)'),
            el('td', {}, ...payments),
            el('td', { class: 'actions' }, ...actions),
          );
        })
      : [empty(7, 'No checkouts yet: open a link above and pay.')]),
  );

  $('stripe-events').replaceChildren(
    ...(summary.events.length
      ? [...summary.events].reverse().map((e) => {
          const last = e.deliveries.at(-1);
          const lastText = last
            ? `${last.status ?? last.error ?? 'no answer'} · attempt ${last.attempt} · ${time(last.at)}`
            : '—';
          const log = el(
            'details',
            {},
            el(
              'summary',
              {},
              `${e.deliveries.length} attempt${e.deliveries.length === 1 ? '' : 's'}`,
            ),
            ...e.deliveries.map((d) =>
              el(
                'div',
                { class: 'mono' },
                `#${d.attempt} ${time(d.at)}: ${d.status ?? d.error} in ${d.duration_ms} ms${d.response ? `: ${d.response}` : ''}`,
              ),
            ),
          );
          return el(
            'tr',
            { 'data-event': e.id, 'data-type': e.type, class: e.status.replace(' ', '-') },
            el('td', {}, time(new Date(e.created * 1000).toISOString())),
            el('td', {}, e.type, el('div', { class: 'mono' }, e.id)),
            el('td', {}, el('span', { class: `tag ${e.status.replace(' ', '-')}` }, e.status)),
            el('td', {}, lastText, log),
            el(
              'td',
              {},
              e.status === 'no endpoint'
                ? ''
                : button('Redeliver', { action: 'redeliver', id: e.id }),
            ),
          );
        })
      : [empty(5, 'No events yet.')]),
  );
}
