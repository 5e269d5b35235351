// SvelteKit: src/routes/api/webhooks/paddle/+server.ts
import { paddleWebhook } from '@datafast-checkout/payment-links/paddle';
import type { RequestHandler } from '@sveltejs/kit';

const handler = paddleWebhook();
export const POST: RequestHandler = ({ request }) => handler(request);

export {};
