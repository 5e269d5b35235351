import { describeAttribution } from '@datafast-checkout/devserver/testing/vitest';
import { example } from './example.js';

// Attribution end to end, as `npm run dev` runs it: the devserver and this app, a visitor from a
// newsletter paying through the link, the page and Checkout in Chromium, the dashboard's credit,
// and the Stripe webhook's hard cases, each payment once.
describeAttribution(example);
