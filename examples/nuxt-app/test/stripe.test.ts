import { describeStripeRoutes } from '@datafast-checkout/devserver/testing/vitest';
import { example } from './example.js';

// Stripe payment links against the app as users run it: signed webhooks, the success page (its
// session looked up at STRIPE_API_BASE, a local stand-in), the payment-link button in Chromium,
// and "not configured" when the variables are unset.
describeStripeRoutes(example);
