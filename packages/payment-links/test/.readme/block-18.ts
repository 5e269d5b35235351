// SvelteKit: src/routes/api/webhooks/polar/+server.ts
import { polarWebhook } from '@datafast-checkout/payment-links/polar';
import type { RequestHandler } from '@sveltejs/kit';

const handler = polarWebhook();
export const POST: RequestHandler = ({ request }) => handler(request);

export {};
