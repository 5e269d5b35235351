// Next.js: app/api/webhooks/dodo/route.ts
import { dodoWebhook } from '@datafast-checkout/payment-links/dodo';

export const POST = dodoWebhook();

export {};
