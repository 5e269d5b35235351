// SvelteKit: src/routes/thanks/+page.server.ts
import { onPaymentSucceeded } from '@datafast-checkout/payment-links';
import { dodoPayment } from '@datafast-checkout/payment-links/dodo';
import type { ServerLoad } from '@sveltejs/kit';

const reportPayment = onPaymentSucceeded(dodoPayment());

export const load: ServerLoad = async ({ request }) => ({
  paid: (await reportPayment(request)) !== null,
});

export {};
