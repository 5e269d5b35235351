// SvelteKit: src/routes/api/webhooks/creem/+server.ts
import { creemWebhook } from '@datafast-checkout/payment-links/creem';
import type { RequestHandler } from '@sveltejs/kit';

const handler = creemWebhook();
export const POST: RequestHandler = ({ request }) => handler(request);

export {};
