import { stripeWebhook } from '@datafast-checkout/payment-links/stripe';
import Stripe from 'stripe';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY ?? '');

export const POST = stripeWebhook({ stripe });

export {};
