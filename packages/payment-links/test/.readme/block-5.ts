import { stripeWebhook } from '@datafast-checkout/payment-links/stripe';
import type { RequestHandler } from '@sveltejs/kit';
import Stripe from 'stripe';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY ?? '');
const handler = stripeWebhook({ stripe });

export const POST: RequestHandler = ({ request }) => handler(request);

export {};
