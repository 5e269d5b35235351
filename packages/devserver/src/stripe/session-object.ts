import { checkoutSessionObject, type StripeObject } from './objects.js';

/** What `checkoutSessionObject` takes. */
type SessionFields = Parameters<typeof checkoutSessionObject>[0];

/**
 * A Checkout Session before it is paid, as `POST /v1/checkout/sessions` answers it
 * (https://docs.stripe.com/api/checkout/sessions/create): `status: 'open'`,
 * `payment_status: 'unpaid'`, the hosted page's `url`, no customer, PaymentIntent or
 * Subscription yet (Stripe makes them when the buyer pays). A payment link's session is made
 * the same way and paid at once.
 *
 * `line_items` is kept on the session: Stripe answers it only with `expand[]=line_items`, the
 * stand-in always (a field `stripe`'s types already know).
 */
export function openSessionObject(
  fields: Omit<
    SessionFields,
    'buyer' | 'paymentIntent' | 'subscription' | 'invoice' | 'paymentStatus'
  > & {
    cancelUrl?: string | null;
    customerEmail?: string | null;
    metadata?: Record<string, string>;
    lineItems?: StripeObject[];
    url: string | null;
  },
): StripeObject {
  const session = checkoutSessionObject({
    ...fields,
    buyer: { customer: null, email: null, name: null },
    paymentIntent: null,
    subscription: null,
    invoice: null,
    paymentStatus: 'unpaid',
  });
  return {
    ...session,
    cancel_url: fields.cancelUrl ?? null,
    customer_details: null,
    customer_email: fields.customerEmail ?? null,
    metadata: { ...fields.metadata },
    status: 'open',
    url: fields.url,
    ...(fields.lineItems
      ? {
          line_items: {
            object: 'list',
            data: fields.lineItems,
            has_more: false,
            url: `/v1/checkout/sessions/${fields.id}/line_items`,
          },
        }
      : {}),
  };
}
