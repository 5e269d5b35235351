import { generateWebhookSecret } from './ids.js';
import { formatMinorUnits } from './money.js';

/**
 * A payment link of the devserver's stand-in checkout, as the config (`stripe.paymentLinks`),
 * `dev.stripe.createPaymentLink()` and `POST /__devserver/stripe/links` take it.
 *
 * @example
 * { name: 'Pro plan', unitAmount: 2999, currency: 'usd', interval: 'month', webhookUrl: 'http://127.0.0.1:3000/api/webhooks/stripe' }
 */
export interface PaymentLinkConfig {
  /** `plink_…`; default: `plink_` and the name in lower case (`plink_pro_plan`). */
  id?: string;
  /** The product's name, shown on the checkout page. */
  name: string;
  /** The price in the smallest unit, as Stripe's `unit_amount` (2999 is $29.99, 500 is ¥500). */
  unitAmount: number;
  /** Three letters, such as `usd`. */
  currency: string;
  /** `once` (default), or a subscription billed every `month` or `year`. */
  interval?: 'once' | 'month' | 'year';
  /** Free days before the first charge (subscriptions only): the first invoice is 0. */
  trialDays?: number;
  /**
   * `card` (default): paid at once. `sepa_debit`: an asynchronous method, completed `unpaid`
   * and settled later (`checkout.session.async_payment_succeeded` or `_failed`).
   */
  paymentMethod?: 'card' | 'sepa_debit';
  /** Where the link's events are POSTed, signed as Stripe signs them. None (or `null`): events are only recorded. */
  webhookUrl?: string | null;
  /** The endpoint's signing secret (`whsec_…`); generated when absent. */
  webhookSecret?: string;
  /** Where "Pay" redirects; `{CHECKOUT_SESSION_ID}` is replaced. None (or `null`): a confirmation page. */
  successUrl?: string | null;
}

/** A payment link with its defaults applied. */
export interface PaymentLink {
  id: string;
  name: string;
  unitAmount: number;
  /** Lower case, as Stripe writes currencies. */
  currency: string;
  interval: 'once' | 'month' | 'year';
  trialDays: number;
  paymentMethod: 'card' | 'sepa_debit';
  webhookUrl: string | null;
  webhookSecret: string;
  successUrl: string | null;
}

/** A payment link as shown outside the server: its URL, never its signing secret. */
export type PublicPaymentLink = Omit<PaymentLink, 'webhookSecret'> & {
  url: string;
  /** `$29.99 per month, 14 days free`: what the checkout page shows. */
  price: string;
};

const KNOWN = [
  'id',
  'name',
  'unitAmount',
  'currency',
  'interval',
  'trialDays',
  'paymentMethod',
  'webhookUrl',
  'webhookSecret',
  'successUrl',
];

/**
 * An http(s) URL, or a path (`/success?session_id={CHECKOUT_SESSION_ID}`) on the app at
 * `appUrl`. Throws a `TypeError` naming the field.
 *
 * @example
 * httpUrl('/api/webhooks/stripe', 'webhookUrl', 'http://localhost:3000') // 'http://localhost:3000/api/webhooks/stripe'
 */
export function httpUrl(value: unknown, name: string, appUrl?: string): string {
  if (typeof value === 'string' && value.startsWith('/') && !value.startsWith('//')) {
    if (!appUrl) {
      throw new TypeError(
        `${name} is a path: give the app's URL (the CLI's --app-url, startDevServer's appUrl), or a full http(s) URL`,
      );
    }
    // Joined as text: URL parsing would encode the braces of {CHECKOUT_SESSION_ID} in a path.
    return `${new URL(appUrl).origin}${value}`;
  }
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol)) {
    throw new TypeError(`${name} must be an http(s) URL, or a path on the app such as /success`);
  }
  return value as string;
}

/** A webhook signing secret as given: `whsec_` and no spaces. */
export function webhookSecret(value: unknown, name: string): string {
  if (typeof value !== 'string' || !/^whsec_\S+$/.test(value)) {
    throw new TypeError(`${name} must be a string that starts with "whsec_" (no spaces)`);
  }
  return value;
}

/**
 * Checks a payment link and applies its defaults. Throws a `TypeError` that names the field
 * (`where.unitAmount must be …`); the message never repeats a secret.
 *
 * @example
 * parsePaymentLink({ name: 'Pro', unitAmount: 2999, currency: 'usd' }, 'paymentLinks[0]').id // 'plink_pro'
 */
export function parsePaymentLink(input: unknown, where: string, appUrl?: string): PaymentLink {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TypeError(`${where} must be an object`);
  }
  const raw = input as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (!KNOWN.includes(key)) throw new TypeError(`${where} has an unknown property "${key}"`);
  }
  const { name, unitAmount, currency } = raw;
  if (typeof name !== 'string' || name.trim() === '' || name.length > 100) {
    throw new TypeError(`${where}.name must be a non-empty string of at most 100 characters`);
  }
  if (
    !Number.isInteger(unitAmount) ||
    (unitAmount as number) < 1 ||
    (unitAmount as number) > 99_999_999
  ) {
    throw new TypeError(
      `${where}.unitAmount must be a whole number of the smallest unit from 1 to 99999999 (2999 is $29.99)`,
    );
  }
  if (typeof currency !== 'string' || !/^[a-z]{3}$/i.test(currency)) {
    throw new TypeError(`${where}.currency must be a 3-letter ISO 4217 code such as "usd"`);
  }
  const id =
    raw.id === undefined
      ? `plink_${
          name
            .toLowerCase()
            .replace(/[^a-z0-9]+/g, '_')
            .replace(/^_+|_+$/g, '') || 'link'
        }`
      : raw.id;
  if (typeof id !== 'string' || !/^plink_[A-Za-z0-9_]{1,64}$/.test(id)) {
    throw new TypeError(`${where}.id must be "plink_" and up to 64 letters, digits or _`);
  }
  const interval = raw.interval ?? 'once';
  if (interval !== 'once' && interval !== 'month' && interval !== 'year') {
    throw new TypeError(`${where}.interval must be "once", "month" or "year"`);
  }
  const trialDays = raw.trialDays ?? 0;
  if (!Number.isInteger(trialDays) || (trialDays as number) < 0 || (trialDays as number) > 730) {
    throw new TypeError(`${where}.trialDays must be a whole number of days from 0 to 730`);
  }
  if (trialDays !== 0 && interval === 'once') {
    throw new TypeError(
      `${where}.trialDays needs a subscription: set interval to "month" or "year"`,
    );
  }
  const paymentMethod = raw.paymentMethod ?? 'card';
  if (paymentMethod !== 'card' && paymentMethod !== 'sepa_debit') {
    throw new TypeError(`${where}.paymentMethod must be "card" or "sepa_debit"`);
  }
  const secret = webhookSecret(
    raw.webhookSecret ?? generateWebhookSecret(),
    `${where}.webhookSecret`,
  );
  return {
    id,
    name: name.trim(),
    unitAmount: unitAmount as number,
    currency: currency.toLowerCase(),
    interval,
    trialDays: trialDays as number,
    paymentMethod,
    webhookUrl:
      raw.webhookUrl == null ? null : httpUrl(raw.webhookUrl, `${where}.webhookUrl`, appUrl),
    webhookSecret: secret,
    successUrl:
      raw.successUrl == null ? null : httpUrl(raw.successUrl, `${where}.successUrl`, appUrl),
  };
}

/**
 * What the checkout page says about the price: `$29.99`, `$29.99 per month`, `14 days free,
 * then $9.00 per month`.
 *
 * @example
 * describePrice(link) // '$29.99 per month'
 */
export function describePrice(
  link: Pick<PaymentLink, 'unitAmount' | 'currency' | 'interval' | 'trialDays'>,
): string {
  const price = formatMinorUnits(link.unitAmount, link.currency);
  const recurring = link.interval === 'once' ? price : `${price} per ${link.interval}`;
  return link.trialDays > 0 ? `${link.trialDays} days free, then ${recurring}` : recurring;
}

/**
 * The link without its secret, with its URL on the devserver.
 *
 * @example
 * publicLink(link, dev.url).url // 'http://127.0.0.1:4100/buy/plink_pro'
 */
export function publicLink(link: PaymentLink, baseUrl: string): PublicPaymentLink {
  const { webhookSecret: _secret, ...shown } = link;
  return { ...shown, url: `${baseUrl}/buy/${link.id}`, price: describePrice(link) };
}
