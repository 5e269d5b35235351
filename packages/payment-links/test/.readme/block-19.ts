// SvelteKit: src/routes/success/+page.server.ts
import { onPaymentSucceeded } from '@datafast-checkout/payment-links';
import { polarCheckout } from '@datafast-checkout/payment-links/polar';
import type { ServerLoad } from '@sveltejs/kit';

const reportOrder = onPaymentSucceeded(polarCheckout());

export const load: ServerLoad = async ({ request }) => ({
  paid: (await reportOrder(request)) !== null,
});

export {};
