import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { allowedHost } from '../control/hosts.js';
import { DevServerConfigError, jsonErrorPosition } from '../errors.js';
import { type Faults, parseFaults } from '../faults.js';
import {
  httpUrl,
  type PaymentLink,
  type PaymentLinkConfig,
  parsePaymentLink,
  webhookSecret,
} from '../stripe/links.js';

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

/**
 * What a `--config` file holds, and what `startDevServer()` accepts besides its runtime options.
 *
 * @example
 * const config: DevServerConfig = { websites: [{ id: 'site_1', domain: 'shop.test', apiKey: 'df_test_1' }] };
 */
export interface DevServerConfig {
  websites?: WebsiteConfig[];
  tokens?: TokenConfig[];
  faults?: Faults;
  /**
   * Host names besides localhost and IP addresses that may read the dashboard and the control
   * endpoints (`devserver`, or `.example.test` for a domain and its subdomains). Others get 403,
   * which stops DNS-rebinding pages. The API itself answers any Host: it needs a key.
   */
  allowedHosts?: string[];
  /** The Stripe stand-in: its secret key and payment links. */
  stripe?: StripeConfig;
}

/** A website after defaults are applied. */
export interface Website {
  id: string;
  domain: string;
  apiKey: string;
}

/** Config after validation and defaults: never empty of websites. */
export interface ResolvedConfig {
  websites: Website[];
  tokens: TokenConfig[];
  faults: Faults;
  allowedHosts: string[];
  stripe: {
    secretKey?: string;
    paymentLinks: PaymentLink[];
    /** The account's endpoint; its secret is derived from the website's key when not given. */
    webhook?: { url: string; secret?: string };
  };
  /** True when no website was configured and one was made up (its key is kept in the data file). */
  generatedWebsite: boolean;
}

/** The id of the website made up when none is configured. */
export const DEV_WEBSITE_ID = 'dev-website';

/**
 * Makes a development key in DataFast's `df_` format.
 *
 * @example
 * generateApiKey() // 'df_dev_3f9c...'
 */
export function generateApiKey(): string {
  return `df_dev_${randomBytes(16).toString('hex')}`;
}

function fail(source: string, message: string): never {
  throw new DevServerConfigError(`${source}: ${message}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkKeys(source: string, where: string, value: Record<string, unknown>, known: string[]) {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) fail(source, `${where} has an unknown property "${key}"`);
  }
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/**
 * Validates a config object (from a file or from code) and applies defaults. Without websites it
 * makes one development website, keyed with `apiKey` when given.
 *
 * @example
 * resolveConfig({}, { source: 'options' }).websites[0].id // 'dev-website'
 */
export function resolveConfig(
  input: unknown,
  options: { source: string; apiKey?: string; appUrl?: string } = { source: 'config' },
): ResolvedConfig {
  const { source } = options;
  if (input === undefined || input === null) input = {};
  if (!isRecord(input)) fail(source, 'the config must be a JSON object');
  checkKeys(source, 'the config', input, [
    '$schema',
    'websites',
    'tokens',
    'faults',
    'allowedHosts',
    'stripe',
  ]);

  if (options.apiKey !== undefined && !options.apiKey.startsWith('df_')) {
    fail(source, 'the API key for the generated website must start with "df_"');
  }

  const websites: Website[] = [];
  const rawWebsites = input.websites ?? [];
  if (!Array.isArray(rawWebsites)) fail(source, '"websites" must be an array');
  rawWebsites.forEach((raw: unknown, i) => {
    const where = `websites[${i}]`;
    if (!isRecord(raw)) fail(source, `${where} must be an object`);
    checkKeys(source, where, raw, ['id', 'domain', 'apiKey']);
    if (!nonEmptyString(raw.id)) fail(source, `${where}.id must be a non-empty string`);
    if (raw.domain !== undefined && !nonEmptyString(raw.domain)) {
      fail(source, `${where}.domain must be a non-empty string`);
    }
    if (typeof raw.apiKey !== 'string' || !/^df_\S+$/.test(raw.apiKey)) {
      fail(source, `${where}.apiKey must be a string that starts with "df_" (no spaces)`);
    }
    if (websites.some((w) => w.id === raw.id)) fail(source, `${where}.id "${raw.id}" is repeated`);
    if (websites.some((w) => w.apiKey === raw.apiKey)) {
      fail(source, `${where}.apiKey is the same as another website's`);
    }
    websites.push({
      id: raw.id,
      domain: (raw.domain as string | undefined) ?? 'localhost',
      apiKey: raw.apiKey,
    });
  });
  const generatedWebsite = websites.length === 0;
  if (generatedWebsite) {
    websites.push({
      id: DEV_WEBSITE_ID,
      domain: 'localhost',
      apiKey: options.apiKey ?? generateApiKey(),
    });
  }

  const tokens: TokenConfig[] = [];
  const rawTokens = input.tokens ?? [];
  if (!Array.isArray(rawTokens)) fail(source, '"tokens" must be an array');
  rawTokens.forEach((raw: unknown, i) => {
    const where = `tokens[${i}]`;
    if (!isRecord(raw)) fail(source, `${where} must be an object`);
    checkKeys(source, where, raw, ['token', 'permissions', 'websites']);
    if (typeof raw.token !== 'string' || !/^dft_\S+$/.test(raw.token)) {
      fail(source, `${where}.token must be a string that starts with "dft_" (no spaces)`);
    }
    if (tokens.some((t) => t.token === raw.token)) {
      fail(source, `${where}.token is the same as another token`);
    }
    if (!Array.isArray(raw.permissions) || !raw.permissions.every(nonEmptyString)) {
      fail(source, `${where}.permissions must be an array of strings such as ["payments:write"]`);
    }
    let allowed: string[] | '*';
    if (raw.websites === '*') {
      allowed = '*';
    } else if (Array.isArray(raw.websites) && raw.websites.every(nonEmptyString)) {
      for (const id of raw.websites) {
        if (!websites.some((w) => w.id === id)) {
          fail(source, `${where}.websites names "${id}", which is not a configured website id`);
        }
      }
      allowed = [...raw.websites];
    } else {
      fail(source, `${where}.websites must be an array of website ids or "*"`);
    }
    tokens.push({ token: raw.token, permissions: [...raw.permissions], websites: allowed });
  });

  let faults: Faults = {};
  if (input.faults !== undefined) {
    try {
      faults = parseFaults(input.faults);
    } catch (error) {
      fail(source, `faults: ${(error as Error).message}`);
    }
  }

  const rawHosts = input.allowedHosts ?? [];
  if (!Array.isArray(rawHosts)) fail(source, '"allowedHosts" must be an array of host names');
  const allowedHosts = rawHosts.map((raw: unknown, i) => {
    try {
      return allowedHost(raw, `allowedHosts[${i}]`);
    } catch (error) {
      return fail(source, (error as Error).message);
    }
  });

  return {
    websites,
    tokens,
    faults,
    allowedHosts,
    stripe: resolveStripe(input.stripe, source, options.appUrl),
    generatedWebsite,
  };
}

function resolveStripe(
  raw: unknown,
  source: string,
  appUrl: string | undefined,
): ResolvedConfig['stripe'] {
  if (raw === undefined) return { paymentLinks: [] };
  if (!isRecord(raw)) fail(source, '"stripe" must be an object');
  checkKeys(source, 'stripe', raw, ['secretKey', 'paymentLinks', 'webhookUrl', 'webhookSecret']);
  let webhook: { url: string; secret?: string } | undefined;
  try {
    if (raw.webhookUrl !== undefined) {
      webhook = { url: httpUrl(raw.webhookUrl, 'stripe.webhookUrl', appUrl) };
    }
    if (raw.webhookSecret !== undefined) {
      if (!webhook) throw new TypeError('stripe.webhookSecret needs stripe.webhookUrl');
      webhook.secret = webhookSecret(raw.webhookSecret, 'stripe.webhookSecret');
    }
  } catch (error) {
    fail(source, (error as Error).message);
  }
  if (
    raw.secretKey !== undefined &&
    (typeof raw.secretKey !== 'string' || !/^sk_test_\S+$/.test(raw.secretKey))
  ) {
    fail(source, 'stripe.secretKey must be a string that starts with "sk_test_" (no spaces)');
  }
  const rawLinks = raw.paymentLinks ?? [];
  if (!Array.isArray(rawLinks)) fail(source, 'stripe.paymentLinks must be an array');
  const paymentLinks: PaymentLink[] = rawLinks.map((link: unknown, i) => {
    const where = `stripe.paymentLinks[${i}]`;
    // A generated secret would change at every start, and the app's STRIPE_WEBHOOK_SECRET with it.
    if (isRecord(link) && link.webhookUrl !== undefined && link.webhookSecret === undefined) {
      fail(
        source,
        `${where}.webhookSecret is required with webhookUrl: the app's STRIPE_WEBHOOK_SECRET`,
      );
    }
    try {
      return parsePaymentLink(link, where, appUrl);
    } catch (error) {
      return fail(source, (error as Error).message);
    }
  });
  paymentLinks.forEach((link, i) => {
    if (paymentLinks.findIndex((other) => other.id === link.id) !== i) {
      fail(
        source,
        `stripe.paymentLinks[${i}].id "${link.id}" is repeated: give each link its own id`,
      );
    }
  });
  return {
    ...(raw.secretKey !== undefined ? { secretKey: raw.secretKey as string } : {}),
    paymentLinks,
    ...(webhook ? { webhook } : {}),
  };
}

/**
 * Reads and validates a `--config` JSON file.
 *
 * @example
 * const config = await loadConfigFile('devserver.config.json');
 */
export async function loadConfigFile(
  path: string,
  options: { appUrl?: string } = {},
): Promise<DevServerConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new DevServerConfigError(
      `Could not read the config file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // JSON.parse quotes the text around the error, which may be a key: report the position only.
    throw new DevServerConfigError(
      `The config file ${path} is not valid JSON${jsonErrorPosition(error)}`,
    );
  }
  // Validate now so the error names the file; the server validates again with its own options.
  resolveConfig(parsed, { source: path, ...options });
  // Only the config fields, so the result can go straight to startDevServer() ($schema can not).
  const { websites, tokens, faults, allowedHosts, stripe } = parsed as DevServerConfig;
  return {
    ...(websites !== undefined ? { websites } : {}),
    ...(tokens !== undefined ? { tokens } : {}),
    ...(faults !== undefined ? { faults } : {}),
    ...(allowedHosts !== undefined ? { allowedHosts } : {}),
    ...(stripe !== undefined ? { stripe } : {}),
  };
}
