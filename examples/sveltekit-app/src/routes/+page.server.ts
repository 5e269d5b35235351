import { env } from '$env/dynamic/private';
import type { PageServerLoad } from './$types';

// Your link from the Stripe Dashboard (its success URL: /success?session_id={CHECKOUT_SESSION_ID}).
export const load: PageServerLoad = () => ({
  paymentLinkUrl:
    env.STRIPE_PAYMENT_LINK_URL || 'https://buy.stripe.com/test_set_STRIPE_PAYMENT_LINK_URL',
});
