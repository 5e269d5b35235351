// Next.js: app/api/webhooks/creem/route.ts
import { creemWebhook } from '@datafast-checkout/payment-links/creem';

export const POST = creemWebhook();

export {};
