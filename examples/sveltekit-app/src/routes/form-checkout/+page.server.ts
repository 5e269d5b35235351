import { fail } from '@sveltejs/kit';
import { parseCheckout } from '$lib/server/checkout';
import { charge } from '$lib/server/payment-processor';
import type { Actions } from './$types';

export const actions = {
  // The form-action flavour of POST /api/checkout: same validation, same background report.
  default: async ({ request, locals }) => {
    const form = await request.formData();
    const parsed = parseCheckout({
      amount: Number(form.get('amount')),
      currency: form.get('currency'),
      email: form.get('email') || undefined,
    });
    if (!parsed.ok) return fail(400, { error: parsed.error });
    const { amount, currency, email } = parsed.input;

    const paid = await charge(amount, currency);
    // Not awaited: the page renders now, the report is delivered in the background.
    locals.datafast.track({
      amount: paid.amount,
      currency: paid.currency,
      transaction_id: paid.id,
      email,
    });

    return { transaction_id: paid.id };
  },
} satisfies Actions;
