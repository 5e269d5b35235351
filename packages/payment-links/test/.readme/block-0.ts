// in your client-side code (a bundler), once per page
import { decoratePaymentLinks } from '@datafast-checkout/payment-links/browser';

decoratePaymentLinks(); // buy.stripe.com links; pass { 'pay.example.com': 'client_reference_id' } for a custom domain

export {};
