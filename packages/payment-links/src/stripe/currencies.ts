import type { MinorUnitConvention } from '@datafast-checkout/core';

/**
 * Stripe's amounts: core's `'stripe'` table, Stripe's zero- and three-decimal lists and its
 * special cases (ISK and UGX times 100, MGA none; https://docs.stripe.com/currencies).
 */
export const stripeCurrencies: MinorUnitConvention = 'stripe';
