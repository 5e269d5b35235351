import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { DevServerConfigError, jsonErrorPosition } from '../errors.js';
import type { Faults } from '../faults.js';
import {
  checkTokenWebsites,
  type StripeConfig,
  type StripeSettings,
  type TokenConfig,
  type Website,
  type WebsiteConfig,
} from './config-sections.js';
import { readSettings } from './read.js';

export type { StripeConfig, TokenConfig, Website, WebsiteConfig };

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

/** The config's settings once checked: what a file or the options gave, nothing defaulted yet. */
export interface ConfigSettings {
  websites?: Website[];
  tokens?: TokenConfig[];
  faults?: Faults;
  allowedHosts?: string[];
  stripe?: StripeSettings;
}

/** Config after validation and defaults: never empty of websites. */
export interface ResolvedConfig {
  websites: Website[];
  tokens: TokenConfig[];
  faults: Faults;
  allowedHosts: string[];
  stripe: StripeSettings;
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

/** Checks what spans two settings: the websites a token names must be configured ones. */
function checkAcross(settings: ConfigSettings, label: string): void {
  try {
    checkTokenWebsites(settings.tokens ?? [], settings.websites ?? []);
  } catch (error) {
    throw new DevServerConfigError(`${label}: ${(error as Error).message}`);
  }
}

/**
 * Applies the config's defaults to checked settings, and checks what spans two of them (a
 * token's websites). Without websites it makes one development website, keyed with `apiKey`
 * when given. Throws a `DevServerConfigError` that starts with `label`.
 *
 * @example
 * resolveConfig({}, 'startDevServer options').websites[0].id // 'dev-website'
 */
export function resolveConfig(
  settings: ConfigSettings,
  label: string,
  apiKey?: string,
): ResolvedConfig {
  checkAcross(settings, label);
  const websites = [...(settings.websites ?? [])];
  const generatedWebsite = websites.length === 0;
  if (generatedWebsite) {
    websites.push({ id: DEV_WEBSITE_ID, domain: 'localhost', apiKey: apiKey ?? generateApiKey() });
  }
  return {
    websites,
    tokens: settings.tokens ?? [],
    faults: settings.faults ?? {},
    allowedHosts: settings.allowedHosts ?? [],
    stripe: settings.stripe ?? { paymentLinks: [] },
    generatedWebsite,
  };
}

/** A config file's text as JSON; errors name the file, never its contents. */
async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new DevServerConfigError(
      `Could not read the config file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    // JSON.parse quotes the text around the error, which may be a key: report the position only.
    throw new DevServerConfigError(
      `The config file ${path} is not valid JSON${jsonErrorPosition(error)}`,
    );
  }
}

/**
 * Reads a `--config` file and checks each of its settings once; errors name the file. A token
 * that names an unknown website is an error here too, so the file is checked whole.
 */
export async function readConfigFile(
  path: string,
  options: { appUrl?: string } = {},
): Promise<{ raw: DevServerConfig; settings: ConfigSettings }> {
  const raw = await readJson(path);
  const settings = readSettings(raw, 'file', path, options) as ConfigSettings;
  checkAcross(settings, path);
  // Only the config fields, so the result can go straight to startDevServer() ($schema can not).
  const { websites, tokens, faults, allowedHosts, stripe } = raw as DevServerConfig;
  return {
    raw: {
      ...(websites !== undefined ? { websites } : {}),
      ...(tokens !== undefined ? { tokens } : {}),
      ...(faults !== undefined ? { faults } : {}),
      ...(allowedHosts !== undefined ? { allowedHosts } : {}),
      ...(stripe !== undefined ? { stripe } : {}),
    },
    settings,
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
  return (await readConfigFile(path, options)).raw;
}
