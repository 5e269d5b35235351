import { stripeWebhook } from '@datafast-checkout/payment-links/stripe';

// As the README mounts it: h3's toWebRequest hands the raw, unread body to the Web handler.
const webhook = stripeWebhook(); // STRIPE_WEBHOOK_SECRET
export default defineEventHandler((event) => webhook(toWebRequest(event)));
