import { expect, it } from 'vitest';
import type { DevServer } from '../../index.js';

// The webhook handler's hard cases, against the real thing on both sides: the devserver's
// stand-in checkout pays links and signs events as Stripe does, the app's webhook verifies them
// and looks visitors up through the devserver's Stripe API (STRIPE_API_BASE), and DataFast (the
// devserver) must end with each payment and refund recorded once, attributed.

const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';

/** The links the hard cases pay: once, monthly, a monthly trial and a debit that settles later. */
export async function createHardCaseLinks(
  dev: DevServer,
  webhook: { webhookUrl: string; webhookSecret: string },
): Promise<void> {
  const link = { currency: 'usd', ...webhook };
  await dev.stripe.createPaymentLink({ ...link, id: 'plink_once', name: 'Once', unitAmount: 4000 });
  await dev.stripe.createPaymentLink({
    ...link,
    id: 'plink_monthly',
    name: 'Monthly',
    unitAmount: 2500,
    interval: 'month',
  });
  await dev.stripe.createPaymentLink({
    ...link,
    id: 'plink_trial',
    name: 'Trial',
    unitAmount: 2500,
    interval: 'month',
    trialDays: 14,
  });
  await dev.stripe.createPaymentLink({
    ...link,
    id: 'plink_sepa',
    name: 'Debit',
    unitAmount: 1500,
    paymentMethod: 'sepa_debit',
  });
}

/**
 * Registers the hard cases' test: the links of {@link createHardCaseLinks} paid, refunded,
 * renewed, redelivered and reordered; each payment and refund must be recorded once, attributed.
 */
export function itRecordsEveryStripeDeliveryOnce(devServer: () => DevServer): void {
  it('records every payment, refund and renewal once and attributed, whatever the delivery', async () => {
    const dev = devServer();

    /** Pays a link as its checkout page does, for the visitor; answers the Checkout Session. */
    async function pay(linkId: string) {
      const response = await fetch(`${dev.url}/buy/${linkId}`, {
        method: 'POST',
        body: new URLSearchParams({ client_reference_id: visitor, email: 'ada@example.com' }),
        redirect: 'manual',
      });
      expect(response.status).toBe(200); // the links have no success URL
      await dev.stripe.settled();
      return dev.stripe.sessions()[0] as {
        id: string;
        payment_intent: string;
        subscription: string;
        invoice: string;
      };
    }

    // A one-time payment, refunded in two parts: each refund its own record, found by PaymentIntent.
    const once = await pay('plink_once');
    const first = await dev.stripe.refund(once.payment_intent, 1000);
    const rest = await dev.stripe.refund(once.payment_intent);

    // A subscription, renewed once (the renewal carries no visitor: found by subscription), and
    // the renewal refunded (found through its invoice payment, invoice and subscription).
    const monthly = await pay('plink_monthly');
    const renewal = await dev.stripe.renew(monthly.subscription);
    const invoicePayments = await fetch(`${dev.url}/v1/invoice_payments?invoice=${renewal.id}`, {
      headers: { authorization: `Bearer ${dev.stripe.secretKey}` },
    }).then((r) => r.json() as Promise<{ data: { payment: { payment_intent: string } }[] }>);
    const renewalRefund = await dev.stripe.refund(
      invoicePayments.data[0]?.payment.payment_intent ?? '',
      500,
    );

    // Redelivery: the first payment's event again.
    const completed = dev.stripe
      .events()
      .find((e) => e.event.type === 'checkout.session.completed');
    await dev.stripe.redeliver(completed?.event.id ?? '');

    // Out of order: invoice.paid before checkout.session.completed, the webhook's classic case.
    await dev.stripe.holdEvents(true);
    const reordered = await pay('plink_monthly');
    await dev.stripe.holdEvents(false);
    await dev.stripe.deliverPending(reordered.id, 'reverse');

    // A trial's zero first invoice, and a debit that settles later.
    const trial = await pay('plink_trial');
    const sepa = await pay('plink_sepa');
    const beforeSettling = dev.payments().length;
    await dev.stripe.settle(sepa.id);
    await dev.stripe.settled();

    const events = dev.stripe.events();
    expect(events.map((e) => [e.event.type, e.deliveries.map((d) => d.status)])).toEqual([
      ['checkout.session.completed', [200, 200]], // and its redelivery
      ['refund.created', [200]],
      ['refund.created', [200]],
      ['checkout.session.completed', [200]],
      ['invoice.paid', [200]],
      ['invoice.paid', [200]], // the renewal
      ['refund.created', [200]],
      ['checkout.session.completed', [200]], // delivered after the next one
      ['invoice.paid', [200]],
      ['checkout.session.completed', [200]], // the trial
      ['invoice.paid', [200]],
      ['checkout.session.completed', [200]], // the debit, unpaid
      ['checkout.session.async_payment_succeeded', [200]],
    ]);
    const [reorderedCompleted, reorderedInvoice] = events.slice(7, 9);
    expect(Date.parse(reorderedInvoice?.deliveries[0]?.at ?? '')).toBeLessThanOrEqual(
      Date.parse(reorderedCompleted?.deliveries[0]?.at ?? ''),
    );
    // The unpaid debit's completed event recorded nothing until it settled.
    expect(beforeSettling).toBe(dev.payments().length - 1);
    /** What DataFast recorded, by transaction id (sessions deliver side by side: any order). */
    const recorded = dev.payments().map((p) => ({
      id: p.transaction_id,
      amount: p.amount,
      visitor: p.datafast_visitor_id,
      flags: [p.refunded && 'refunded', p.renewal && 'renewal', p.is_free_trial && 'trial']
        .filter(Boolean)
        .join(','),
    }));
    const byId = <T extends { id: string }>(rows: T[]) =>
      [...rows].sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(recorded)).toEqual(
      byId([
        { id: once.payment_intent, amount: 40, visitor, flags: '' },
        { id: first.id, amount: 10, visitor, flags: 'refunded' },
        { id: rest.id, amount: 30, visitor, flags: 'refunded' },
        { id: monthly.invoice, amount: 25, visitor, flags: '' },
        { id: renewal.id, amount: 25, visitor, flags: 'renewal' },
        { id: renewalRefund.id, amount: 5, visitor, flags: 'refunded' },
        { id: reordered.invoice, amount: 25, visitor, flags: '' },
        { id: trial.invoice, amount: 0, visitor, flags: 'trial' },
        { id: sepa.payment_intent, amount: 15, visitor, flags: '' },
      ]),
    );
  });
}
