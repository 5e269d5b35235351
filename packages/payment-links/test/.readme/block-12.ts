// SvelteKit: src/routes/api/webhooks/lemonsqueezy/+server.ts
import { lemonSqueezyWebhook } from '@datafast-checkout/payment-links/lemonsqueezy';
import type { RequestHandler } from '@sveltejs/kit';

const handler = lemonSqueezyWebhook();
export const POST: RequestHandler = ({ request }) => handler(request);

export {};
