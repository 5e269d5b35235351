'use server';

import { getDatafast } from '@datafast-checkout/next';
import { type CheckoutResult, checkout } from '@/lib/checkout';
import { datafastClient } from '@/lib/datafast';

/**
 * The checkout as a Server Action: `getDatafast` reads the visitor cookie through `cookies()`
 * and reports after the response through `after()`.
 *
 * @example
 * <form action={formAction}> where const [state, formAction] = useActionState(checkoutAction, null)
 */
export async function checkoutAction(
  _previous: CheckoutResult | null,
  form: FormData,
): Promise<CheckoutResult> {
  const email = form.get('email');
  const order = {
    amount: Number(form.get('amount')),
    currency: form.get('currency'),
    email: typeof email === 'string' && email !== '' ? email : undefined,
  };
  return checkout(order, await getDatafast(datafastClient));
}
