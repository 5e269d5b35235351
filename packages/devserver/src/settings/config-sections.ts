// The config's structured settings (`websites`, `tokens`, `stripe`): each read and checked here,
// once, whether it came from a config file or from startDevServer's options.
import {
  httpUrl,
  type PaymentLink,
  type PaymentLinkConfig,
  parsePaymentLink,
  webhookSecret,
} from '../stripe/index.js';
import { type CheckContext, checkKeys, isRecord, nonEmptyString, objectList } from './values.js';

/** A website and its `df_` key: the key infers the website, as on DataFast. */
export interface WebsiteConfig {
  /** The website id that `dft_` token requests pass as `?websiteId=`. */
  id: string;
  /** Shown on the dashboard; defaults to `localhost`. */
  domain?: string;
  /** The website's API key; must start with `df_`. */
  apiKey: string;
}

/** An account token (`dft_`) with its permissions and the websites it may use. */
export interface TokenConfig {
  /** The token itself; must start with `dft_`. */
  token: string;
  /** Payments need `payments:write` (or `*`). */
  permissions: string[];
  /** Website ids this token may use, or `'*'` for every website. */
  websites: string[] | '*';
}

/** The Stripe stand-in: the key its API accepts, and the payment links of its hosted checkout. */
export interface StripeConfig {
  /** The secret key the devserver's `/v1` Stripe API accepts (`sk_test_…`); generated when absent. */
  secretKey?: string;
  /** Payment links served at `/buy/<id>`; each needs `webhookSecret` when it has a `webhookUrl`. */
  paymentLinks?: PaymentLinkConfig[];
  /**
   * The account's webhook endpoint, as `stripe listen --forward-to` makes one: the events of
   * Checkout Sessions created with the API, and of links without their own `webhookUrl`. A path
   * (`/api/webhooks/stripe`) is resolved against the app's URL (the CLI's `--app-url`).
   */
  webhookUrl?: string;
  /** Its signing secret (`whsec_…`); default derived from the website's key, stable with `--data`. */
  webhookSecret?: string;
}

/** A website after defaults are applied. */
export interface Website {
  id: string;
  domain: string;
  apiKey: string;
}

/** The Stripe settings after validation. */
export interface StripeSettings {
  secretKey?: string;
  paymentLinks: PaymentLink[];
  /** The account's endpoint; its secret is derived from the website's key when not given. */
  webhook?: { url: string; secret?: string };
}

/** `websites`: unique ids and `df_` keys; a missing domain is `localhost`. */
export function parseWebsites(value: unknown, name: string): Website[] {
  return objectList(value, name, ['id', 'domain', 'apiKey'], (raw, where, websites: Website[]) => {
    if (!nonEmptyString(raw.id)) throw new TypeError(`${where}.id must be a non-empty string`);
    if (raw.domain !== undefined && !nonEmptyString(raw.domain)) {
      throw new TypeError(`${where}.domain must be a non-empty string`);
    }
    if (typeof raw.apiKey !== 'string' || !/^df_\S+$/.test(raw.apiKey)) {
      throw new TypeError(`${where}.apiKey must be a string that starts with "df_" (no spaces)`);
    }
    if (websites.some((w) => w.id === raw.id)) {
      throw new TypeError(`${where}.id "${raw.id}" is repeated`);
    }
    // Never the key itself: errors are printed.
    if (websites.some((w) => w.apiKey === raw.apiKey)) {
      throw new TypeError(`${where}.apiKey is the same as another website's`);
    }
    return {
      id: raw.id,
      domain: (raw.domain as string | undefined) ?? 'localhost',
      apiKey: raw.apiKey,
    };
  });
}

/** `tokens`: unique `dft_` tokens; which websites they name is checked once websites are known. */
export function parseTokens(value: unknown, name: string): TokenConfig[] {
  const keys = ['token', 'permissions', 'websites'];
  return objectList(value, name, keys, (raw, where, tokens: TokenConfig[]) => {
    if (typeof raw.token !== 'string' || !/^dft_\S+$/.test(raw.token)) {
      throw new TypeError(`${where}.token must be a string that starts with "dft_" (no spaces)`);
    }
    if (tokens.some((t) => t.token === raw.token)) {
      throw new TypeError(`${where}.token is the same as another token`);
    }
    if (!Array.isArray(raw.permissions) || !raw.permissions.every(nonEmptyString)) {
      throw new TypeError(
        `${where}.permissions must be an array of strings such as ["payments:write"]`,
      );
    }
    const all = raw.websites === '*';
    if (!all && !(Array.isArray(raw.websites) && raw.websites.every(nonEmptyString))) {
      throw new TypeError(`${where}.websites must be an array of website ids or "*"`);
    }
    return {
      token: raw.token,
      permissions: [...raw.permissions],
      websites: all ? '*' : [...(raw.websites as string[])],
    };
  });
}

/** Throws a `TypeError` for a token that names a website that is not configured. */
export function checkTokenWebsites(tokens: TokenConfig[], websites: Website[], name = 'tokens') {
  tokens.forEach((token, i) => {
    if (token.websites === '*') return;
    for (const id of token.websites) {
      if (!websites.some((w) => w.id === id)) {
        throw new TypeError(
          `${name}[${i}].websites names "${id}", which is not a configured website id`,
        );
      }
    }
  });
}

/** `stripe`: the stand-in's key, account webhook and payment links (paths resolved on the app). */
export function parseStripe(value: unknown, name: string, context: CheckContext): StripeSettings {
  if (!isRecord(value)) throw new TypeError(`"${name}" must be an object`);
  checkKeys(name, value, ['secretKey', 'paymentLinks', 'webhookUrl', 'webhookSecret']);
  let webhook: { url: string; secret?: string } | undefined;
  if (value.webhookUrl !== undefined) {
    webhook = { url: httpUrl(value.webhookUrl, `${name}.webhookUrl`, context.appUrl) };
  }
  if (value.webhookSecret !== undefined) {
    if (!webhook) throw new TypeError(`${name}.webhookSecret needs ${name}.webhookUrl`);
    webhook.secret = webhookSecret(value.webhookSecret, `${name}.webhookSecret`);
  }
  const { secretKey } = value;
  if (
    secretKey !== undefined &&
    (typeof secretKey !== 'string' || !/^sk_test_\S+$/.test(secretKey))
  ) {
    throw new TypeError(
      `${name}.secretKey must be a string that starts with "sk_test_" (no spaces)`,
    );
  }
  const rawLinks = value.paymentLinks ?? [];
  if (!Array.isArray(rawLinks)) throw new TypeError(`${name}.paymentLinks must be an array`);
  const paymentLinks = rawLinks.map((link: unknown, i) => {
    const where = `${name}.paymentLinks[${i}]`;
    // A generated secret would change at every start, and the app's STRIPE_WEBHOOK_SECRET with it.
    if (isRecord(link) && link.webhookUrl !== undefined && link.webhookSecret === undefined) {
      throw new TypeError(
        `${where}.webhookSecret is required with webhookUrl: the app's STRIPE_WEBHOOK_SECRET`,
      );
    }
    return parsePaymentLink(link, where, context.appUrl);
  });
  paymentLinks.forEach((link, i) => {
    if (paymentLinks.findIndex((other) => other.id === link.id) !== i) {
      throw new TypeError(
        `${name}.paymentLinks[${i}].id "${link.id}" is repeated: give each link its own id`,
      );
    }
  });
  return {
    ...(secretKey !== undefined ? { secretKey: secretKey as string } : {}),
    paymentLinks,
    ...(webhook ? { webhook } : {}),
  };
}
