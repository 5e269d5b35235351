// SvelteKit: src/routes/api/webhooks/dodo/+server.ts
import { dodoWebhook } from '@datafast-checkout/payment-links/dodo';
import type { RequestHandler } from '@sveltejs/kit';

const handler = dodoWebhook();
export const POST: RequestHandler = ({ request }) => handler(request);

export {};
