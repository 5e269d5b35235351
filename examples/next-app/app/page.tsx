import Link from 'next/link';
import { CheckoutForm } from './checkout-form';
import { PaymentLink } from './payment-link';

/** The checkout page, at `/`: the form posts to `POST /api/checkout`. */
export default function CheckoutPage() {
  return (
    <main>
      <h1>Checkout</h1>
      <p>Pro plan, billed once.</p>
      <CheckoutForm />
      {/* #region stripe: the payment link */}
      <p>
        Or pay on Stripe:{' '}
        {/* Rendered per request (the layout awaits connection()), so the env is read at run time. */}
        <PaymentLink
          href={
            process.env.STRIPE_PAYMENT_LINK_URL ??
            'https://buy.stripe.com/test_set_STRIPE_PAYMENT_LINK_URL'
          }
        />
      </p>
      {/* A Checkout Session the server creates with the visitor of the cookie in its metadata. */}
      <form method="post" action="/checkout/stripe">
        <button type="submit">Pay with Checkout</button>
      </form>
      {/* #endregion stripe */}
      <p>
        <Link href="/server-action">The same checkout as a Server Action</Link>
      </p>
    </main>
  );
}
