// Next.js: app/api/webhooks/polar/route.ts
import { polarWebhook } from '@datafast-checkout/payment-links/polar';

export const POST = polarWebhook();

export {};
