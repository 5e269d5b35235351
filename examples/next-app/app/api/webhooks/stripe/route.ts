import { stripeWebhook } from '@datafast-checkout/payment-links/stripe';
import { datafastClient } from '@/lib/datafast';
import { stripe } from '@/lib/stripe';

// Stripe's signed events (reads STRIPE_WEBHOOK_SECRET). Route handlers get the untouched
// Request, so the signature is checked on the raw body. DataFast is awaited here, on purpose:
// a 5xx makes Stripe redeliver. The client finds the visitor of refunds and early invoices.
export const POST = stripeWebhook({ stripe, datafast: datafastClient });
