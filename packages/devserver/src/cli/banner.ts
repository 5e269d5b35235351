import { networkInterfaces } from 'node:os';
import { CONTROL_TOKEN_ENV, isLoopbackHost } from '../control/access.js';
import type { DevServer } from '../devserver.js';
import type { ConfigSettings } from '../settings/config.js';
import type { CliFlags } from '../settings/flags.js';

// What the CLI prints at start, and the variables it gives the app it runs: both say the same.

/** The URLs other machines reach the devserver at, for a `--host` beyond loopback. */
function networkUrls(host: string, port: number): string[] {
  const wildcard = host === '0.0.0.0' || host === '::';
  if (!wildcard) return [`http://${host.includes(':') ? `[${host}]` : host}:${port}`];
  const urls: string[] = [];
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) {
      if (entry.internal || (entry.family === 'IPv6' && host !== '::')) continue;
      const address = entry.family === 'IPv6' ? `[${entry.address}]` : entry.address;
      if (!entry.address.startsWith('fe80:')) urls.push(`http://${address}:${port}`);
    }
  }
  return urls;
}

/** Listening beyond loopback: what other machines can reach, and how the dashboard opens to them. */
function networkLines(dev: DevServer, host: string, controlToken: string | undefined): string[] {
  if (isLoopbackHost(host)) return [];
  const urls = networkUrls(host, dev.port);
  const lines = [
    `  Warning       listening on ${host}, beyond this machine${urls.length ? `: ${urls.join(', ')}` : ''}`,
    '                The API and the Stripe stand-in answer anyone who has their keys.',
  ];
  if (!controlToken) {
    lines.push(
      '                The dashboard and /__devserver (payments with emails, reset) answer only this',
      `                machine. For others: --control-token <secret> (or ${CONTROL_TOKEN_ENV}),`,
      '                then open /?token=<secret> or send Authorization: Bearer <secret>.',
    );
  } else {
    for (const url of urls)
      lines.push(`  Dashboard     ${url}/?token=${controlToken} (other machines)`);
    lines.push('                Scripts on other machines: Authorization: Bearer <the token>.');
  }
  return lines;
}

export function banner(
  dev: DevServer,
  flags: CliFlags,
  config: ConfigSettings,
  controlToken: string | undefined,
): string {
  const generated = !config.websites || config.websites.length === 0;
  const faults = dev.faults();
  const lines = [
    'datafast-devserver: a local stand-in for the DataFast Payments API (not DataFast itself)',
    `  Listening on  ${dev.url}`,
    `  Dashboard     ${dev.url}/`,
    ...networkLines(dev, flags.host, controlToken),
    `  Payments API  ${dev.url}/api/v1/payments`,
    `  Tracker       ${dev.url}/js/script.js (stand-in; production pages use DataFast's script)`,
  ];
  const stripe = usesStripe(flags, config);
  if (stripe) {
    lines.push(
      `  Stripe API    ${dev.url}/v1 (stand-in, not Stripe; payment links open at ${dev.url}/buy/<id>)`,
    );
    for (const link of dev.stripe.paymentLinks()) {
      const webhook = link.webhookUrl ? `, events to ${link.webhookUrl}` : '';
      lines.push(`  Payment link  ${link.url} (${link.name}, ${link.price}${webhook})`);
    }
    if (dev.stripe.webhookUrl) {
      lines.push(`  Webhooks      ${dev.stripe.webhookUrl} (the stand-in's events, signed)`);
    }
  }
  if (generated) {
    lines.push(`  Website       ${dev.websiteId} (localhost, generated)`);
    const kept = flags.dataFile ? ` (kept in ${flags.dataFile})` : '';
    lines.push(`  API key       ${dev.apiKey}${kept}`);
  } else {
    for (const w of config.websites ?? []) lines.push(`  Website       ${w.id} (${w.domain})`);
    lines.push(`  Tokens        ${config.tokens?.length ?? 0} from ${flags.configPath}`);
  }
  const allowed = [...(config.allowedHosts ?? []), ...flags.allowedHosts];
  if (allowed.length) lines.push(`  Also serves   the dashboard to Host ${allowed.join(', ')}`);
  lines.push(`  Data          ${flags.dataFile ?? 'in memory'}`);
  lines.push(`  Faults        ${Object.keys(faults).length ? JSON.stringify(faults) : 'none'}`);
  lines.push('');
  const env = appEnvironment(dev, flags, config);
  for (const name of ['DATAFAST_BASE_URL', 'DATAFAST_API_KEY']) {
    if (env[name]) lines.push(`  ${name}=${env[name]}`);
  }
  if (stripe) {
    // Configured secrets are passed to the app but never printed.
    lines.push('', '  For a stripe client pointed at the stand-in (not Stripe):');
    lines.push(`  STRIPE_API_BASE=${dev.stripe.apiBase}`);
    if (!config.stripe?.secretKey) lines.push(`  STRIPE_SECRET_KEY=${dev.stripe.secretKey}`);
    if (env.STRIPE_WEBHOOK_SECRET && !config.stripe?.webhook?.secret) {
      lines.push(`  STRIPE_WEBHOOK_SECRET=${env.STRIPE_WEBHOOK_SECRET}`);
    }
    if (env.STRIPE_PAYMENT_LINK_URL) {
      lines.push(`  STRIPE_PAYMENT_LINK_URL=${env.STRIPE_PAYMENT_LINK_URL}`);
    }
  }
  if (flags.appCommand) {
    lines.push('');
    lines.push(`  Running       ${flags.appCommand.join(' ')} (with the variables above)`);
    const port = appEnvironment(dev, flags, config).PORT;
    lines.push(`  App           ${appUrlOf(flags)}${port ? ` (PORT=${port})` : ''}`);
  }
  return lines.join('\n');
}

/**
 * Whether the banner shows the Stripe stand-in and the app gets its variables: when the config
 * has `stripe`, or the devserver runs alone (tests and scripts reach it). A starter without
 * Stripe (`-- <command>`, no `stripe` config) sees nothing of it.
 */
function usesStripe(flags: CliFlags, config: ConfigSettings): boolean {
  return config.stripe !== undefined || !flags.appCommand;
}

/** The app's URL: `--app-url`, else `http://localhost:$PORT` (3000 without `PORT`). */
export function appUrlOf(flags: CliFlags): string {
  return flags.appUrl ?? `http://localhost:${process.env.PORT || 3000}`;
}

/**
 * What the app needs to report here and to pay through the Stripe stand-in: the URL, the
 * generated website's key (never a configured one), and with a `stripe` config the stand-in's
 * API base, secret key, webhook secret and first payment link; `PORT` and `ORIGIN` when unset,
 * so the app listens where the config's paths point. The banner prints these (configured secrets
 * excepted).
 */
export function appEnvironment(
  dev: DevServer,
  flags: CliFlags,
  config: ConfigSettings,
): Record<string, string> {
  const generated = !config.websites || config.websites.length === 0;
  const env: Record<string, string> = {
    DATAFAST_BASE_URL: dev.url,
    ...(generated ? { DATAFAST_API_KEY: dev.apiKey } : {}),
  };
  if (usesStripe(flags, config)) {
    env.STRIPE_API_BASE = dev.stripe.apiBase;
    env.STRIPE_SECRET_KEY = dev.stripe.secretKey;
    if (dev.stripe.webhookSecret) env.STRIPE_WEBHOOK_SECRET = dev.stripe.webhookSecret;
    const [link] = dev.stripe.paymentLinks();
    if (link) env.STRIPE_PAYMENT_LINK_URL = link.url;
  }
  const appUrl = new URL(appUrlOf(flags));
  if (!process.env.PORT) env.PORT = appUrl.port || (appUrl.protocol === 'https:' ? '443' : '80');
  // SvelteKit's adapter-node refuses form posts over http without it (`node build`).
  if (!process.env.ORIGIN) env.ORIGIN = appUrl.origin;
  return env;
}
