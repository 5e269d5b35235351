'use client';

import { useActionState } from 'react';
import { checkoutAction } from './actions';

/** Submits the order to the `checkoutAction` Server Action and shows the answer. */
export function ActionCheckoutForm() {
  const [result, formAction, pending] = useActionState(checkoutAction, null);
  return (
    <form action={formAction}>
      <input type="hidden" name="amount" value="29.99" />
      <input type="hidden" name="currency" value="USD" />
      <label>
        Email <input type="email" name="email" placeholder="you@example.com" />
      </label>{' '}
      <button type="submit" disabled={pending}>
        Pay $29.99
      </button>
      <p>
        <output>
          {result &&
            ('error' in result ? `Error: ${result.error}` : `Paid: ${result.transaction_id}`)}
        </output>
      </p>
    </form>
  );
}
