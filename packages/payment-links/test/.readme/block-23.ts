// Next.js: app/api/webhooks/paddle/route.ts
import { paddleWebhook } from '@datafast-checkout/payment-links/paddle';

export const POST = paddleWebhook();

export {};
