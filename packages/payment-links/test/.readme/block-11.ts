// Next.js: app/api/webhooks/lemonsqueezy/route.ts
import { lemonSqueezyWebhook } from '@datafast-checkout/payment-links/lemonsqueezy';

export const POST = lemonSqueezyWebhook();

export {};
