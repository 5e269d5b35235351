import Link from 'next/link';
import { CheckoutForm } from './checkout-form';

/** The checkout page, at `/`: the form posts to `POST /api/checkout`. */
export default function CheckoutPage() {
  return (
    <main>
      <h1>Checkout</h1>
      <p>Pro plan, billed once.</p>
      <CheckoutForm />
      <p>
        <Link href="/server-action">The same checkout as a Server Action</Link>
      </p>
    </main>
  );
}
