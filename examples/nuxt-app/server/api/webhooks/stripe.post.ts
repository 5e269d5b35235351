import { stripeWebhook } from '@datafast-checkout/payment-links/stripe';

// Stripe's signed events. Reads STRIPE_WEBHOOK_SECRET; the client finds the visitor of refunds
// and early invoices. toWebRequest(event) hands the raw, unread body over: Stripe signs it.
const webhook = stripeWebhook({ stripe: getStripe() });

export default defineEventHandler((event) => webhook(toWebRequest(event)));
