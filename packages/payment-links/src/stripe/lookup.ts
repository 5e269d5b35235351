import type { Deadline } from '../deadline.js';
import { minorAmount } from '../fields.js';
import { hadPaidChargeIn } from '../renewals.js';
import type { FoundOrigin, SubscriptionCharge } from '../reports.js';
import { visitorInMetadata, visitorInSession } from './carriers.js';
import { idOf, type StripeVisitorLookup } from './mapping.js';
import type { CheckoutSessionLike, InvoiceLike, StripeClient } from './types.js';

/**
 * Finds the visitor of an object that carries none, through the Checkout Session that started
 * it: a subscription's session (`checkout.sessions.list({ subscription })`, for the first
 * invoice of a payment-link subscription), or a refunded payment's session
 * (`list({ payment_intent })`), else, on API 2025-03-31 and later, the invoice that payment
 * paid and its subscription. At most three Stripe calls, all within the webhook's time budget.
 * Resolves the object the visitor was read from (for website routing), or `undefined` when
 * Stripe has none; a failed call rejects with stripe-node's error (its `statusCode` says why).
 */
export async function findVisitor(
  stripe: StripeClient,
  where: StripeVisitorLookup,
  deadline: Deadline,
): Promise<FoundOrigin | undefined> {
  let { subscription } = where;
  if (where.paymentIntent) {
    const byPayment = await firstSession(stripe, { payment_intent: where.paymentIntent }, deadline);
    if (byPayment) return { visitorId: visitorInSession(byPayment), origin: byPayment };
    if (!subscription && stripe.invoicePayments) {
      const list = await deadline.bound(
        stripe.invoicePayments.list({
          payment: { type: 'payment_intent', payment_intent: where.paymentIntent },
          limit: 1,
          expand: ['data.invoice'],
        }),
        'Stripe invoice payment lookup',
      );
      const invoice = (list.data[0] as { invoice?: InvoiceLike | string } | undefined)?.invoice;
      if (typeof invoice === 'object' && invoice) {
        const details = invoice.parent?.subscription_details;
        const carried = visitorInMetadata(details?.metadata) ?? visitorInMetadata(invoice.metadata);
        if (carried) return { visitorId: carried, origin: invoice };
        subscription = idOf(details?.subscription) ?? idOf(invoice.subscription);
      }
    }
  }
  if (!subscription) return undefined;
  const bySubscription = await firstSession(stripe, { subscription }, deadline);
  return bySubscription && { visitorId: visitorInSession(bySubscription), origin: bySubscription };
}

async function firstSession(
  stripe: StripeClient,
  filter: Record<string, string>,
  deadline: Deadline,
): Promise<CheckoutSessionLike | undefined> {
  const list = await deadline.bound(
    stripe.checkout.sessions.list({ ...filter, limit: 1 }),
    'Stripe Checkout Session lookup',
  );
  return list.data[0] as CheckoutSessionLike | undefined;
}

/**
 * Whether the subscription had a paid invoice above zero before `charge`: its paid invoices,
 * newest first (`invoices.list({ subscription, status: 'paid' })`), page by page.
 */
export function hadPaidInvoice(
  invoices: NonNullable<StripeClient['invoices']>,
  charge: SubscriptionCharge,
  deadline: Deadline,
): Promise<boolean> {
  return hadPaidChargeIn(charge, '', async (startingAfter: string) => {
    const list = await deadline.bound(
      invoices.list({
        subscription: charge.subscription,
        status: 'paid',
        limit: 100,
        ...(startingAfter ? { starting_after: startingAfter } : {}),
      }),
      'Stripe invoice lookup',
    );
    const page = list.data as InvoiceLike[];
    return {
      charges: page.map((invoice) => ({
        id: invoice.id,
        paid: true,
        minor: minorAmount(invoice.amount_paid),
        at: typeof invoice.created === 'number' ? invoice.created * 1000 : undefined,
      })),
      next: list.has_more ? page.at(-1)?.id : undefined,
    };
  });
}
