import { createHmac, randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomText(length: number): string {
  const bytes = randomBytes(length);
  // 256 is not a multiple of 62: the slight bias is irrelevant for ids that only need to differ.
  return Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join('');
}

/**
 * An id in Stripe's form: `pi_3Nx…` (24 letters and digits after the prefix), and for Checkout
 * Sessions `cs_test_…` (test mode, 58), as the success-page helper expects (`cs_[A-Za-z0-9_]+`).
 *
 * @example
 * stripeId('pi') // 'pi_Q2f8…'
 */
export function stripeId(prefix: string): string {
  return prefix === 'cs' ? `cs_test_${randomText(58)}` : `${prefix}_${randomText(24)}`;
}

/**
 * A webhook signing secret in Stripe's format.
 *
 * @example
 * generateWebhookSecret() // 'whsec_…'
 */
export function generateWebhookSecret(): string {
  return `whsec_${randomText(32)}`;
}

/**
 * The secret key of the devserver's Stripe API when none is configured: derived from the first
 * website's key, so it stays the same exactly as long as that key does (the data file keeps a
 * generated one), and an app's `.env` stays valid from one start to the next.
 *
 * @example
 * stripeKeyFor('df_dev_3f9c…') // 'sk_test_devserver_…'
 */
export function stripeKeyFor(apiKey: string): string {
  const digest = createHmac('sha256', apiKey).update('datafast-devserver stripe key').digest();
  return `sk_test_devserver_${Array.from(digest.subarray(0, 24), (b) => ALPHABET[b % ALPHABET.length]).join('')}`;
}

/**
 * The signing secret of the account's webhook endpoint when none is configured: derived from the
 * first website's key as {@link stripeKeyFor} is, so an app's `STRIPE_WEBHOOK_SECRET` stays valid
 * exactly as long as its `STRIPE_SECRET_KEY` does.
 *
 * @example
 * webhookSecretFor('df_dev_3f9c…') // 'whsec_devserver_…'
 */
export function webhookSecretFor(apiKey: string): string {
  const digest = createHmac('sha256', apiKey).update('datafast-devserver webhook secret').digest();
  return `whsec_devserver_${Array.from(digest.subarray(0, 24), (b) => ALPHABET[b % ALPHABET.length]).join('')}`;
}
