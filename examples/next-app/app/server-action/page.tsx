import Link from 'next/link';
import { ActionCheckoutForm } from './action-checkout-form';

/** The same checkout at `/server-action`, paid through a Server Action. */
export default function ServerActionCheckoutPage() {
  return (
    <main>
      <h1>Checkout (Server Action)</h1>
      <p>Pro plan, billed once.</p>
      <ActionCheckoutForm />
      <p>
        <Link href="/">The same checkout through POST /api/checkout</Link>
      </p>
    </main>
  );
}
