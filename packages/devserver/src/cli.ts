#!/usr/bin/env node
// The `datafast-devserver` command: parse flags, start the server, print how to reach it, and
// shut down cleanly (data file flushed) on SIGINT or SIGTERM.
import { networkInterfaces } from 'node:os';
import { runAppCommand } from './cli/app-command.js';
import {
  CONTROL_TOKEN_ENV,
  CONTROL_TOKEN_RULE,
  isControlToken,
  isLoopbackHost,
} from './control/access.js';
import { DevServerConfigError, DevServerDataError } from './errors.js';
import { parseFaults } from './faults.js';
import { type DevServer, startDevServer } from './server.js';
import { type DevServerConfig, loadConfigFile } from './settings/config.js';
import { type CliFlags, parseFlags, USAGE, UsageError } from './settings/flags.js';
import { VERSION } from './version.js';

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

function banner(
  dev: DevServer,
  flags: CliFlags,
  config: DevServerConfig,
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
    for (const w of config.websites ?? [])
      lines.push(`  Website       ${w.id} (${w.domain ?? 'localhost'})`);
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
    if (env.STRIPE_WEBHOOK_SECRET && !config.stripe?.webhookSecret) {
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
function usesStripe(flags: CliFlags, config: DevServerConfig): boolean {
  return config.stripe !== undefined || !flags.appCommand;
}

/** The app's URL: `--app-url`, else `http://localhost:$PORT` (3000 without `PORT`). */
function appUrlOf(flags: CliFlags): string {
  return flags.appUrl ?? `http://localhost:${process.env.PORT || 3000}`;
}

/**
 * What the app needs to report here and to pay through the Stripe stand-in: the URL, the
 * generated website's key (never a configured one), and with a `stripe` config the stand-in's
 * API base, secret key, webhook secret and first payment link; `PORT` and `ORIGIN` when unset,
 * so the app listens where the config's paths point. The banner prints these (configured secrets
 * excepted).
 */
function appEnvironment(
  dev: DevServer,
  flags: CliFlags,
  config: DevServerConfig,
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

async function main(argv: string[]): Promise<number> {
  let flags: CliFlags;
  try {
    flags = parseFlags(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`datafast-devserver: ${error.message}\nRun datafast-devserver --help for usage.`);
    return 2;
  }
  if (flags.help) {
    console.log(USAGE);
    return 0;
  }
  if (flags.version) {
    console.log(VERSION);
    return 0;
  }

  const controlToken = flags.controlToken ?? (process.env[CONTROL_TOKEN_ENV] || undefined);
  if (controlToken !== undefined && !isControlToken(controlToken)) {
    console.error(`datafast-devserver: ${CONTROL_TOKEN_ENV} must be ${CONTROL_TOKEN_RULE}`);
    return 2;
  }

  let dev: DevServer;
  let config: DevServerConfig = {};
  try {
    const appUrl = appUrlOf(flags);
    if (flags.configPath) config = await loadConfigFile(flags.configPath, { appUrl });
    // Flags override the config file's faults one setting at a time.
    const faults = parseFaults({ ...config.faults, ...flags.faults });
    dev = await startDevServer({
      ...(config.websites !== undefined ? { websites: config.websites } : {}),
      ...(config.tokens !== undefined ? { tokens: config.tokens } : {}),
      ...(config.stripe !== undefined ? { stripe: config.stripe } : {}),
      allowedHosts: [...(config.allowedHosts ?? []), ...flags.allowedHosts],
      faults,
      port: flags.port,
      host: flags.host,
      quiet: flags.quiet,
      ...(flags.dataFile !== undefined ? { dataFile: flags.dataFile } : {}),
      ...(flags.apiKey !== undefined ? { apiKey: flags.apiKey } : {}),
      ...(flags.bodyLimit !== undefined ? { bodyLimit: flags.bodyLimit } : {}),
      ...(controlToken !== undefined ? { controlToken } : {}),
      appUrl,
      log: (line) => console.log(`${new Date().toISOString()} ${line}`),
    });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (error instanceof DevServerConfigError || error instanceof DevServerDataError) {
      console.error(`datafast-devserver: ${e.message}`);
    } else if (e.code === 'EADDRINUSE') {
      console.error(
        `datafast-devserver: port ${flags.port} on ${flags.host} is in use; pass --port`,
      );
    } else if (error instanceof TypeError) {
      console.error(`datafast-devserver: invalid faults: ${e.message}`);
    } else {
      console.error(`datafast-devserver: could not start: ${e.message}`);
    }
    return 1;
  }

  if (flags.appCommand) {
    // The app's command owns the signals; the devserver stops after it, so it still receives
    // the reports the app flushes on its way out.
    const run = runAppCommand(flags.appCommand, appEnvironment(dev, flags, config));
    console.log(banner(dev, flags, config, controlToken));
    const code = await run;
    await dev.close();
    console.log(
      `datafast-devserver: stopped${flags.dataFile ? `; data saved to ${flags.dataFile}` : ''}`,
    );
    return code;
  }

  // Listen for signals before the banner: whoever reads it may stop the server at once.
  const stopped = new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        console.error(`datafast-devserver: ${signal} again, exiting without waiting`);
        process.exit(1);
      }
      stopping = true;
      console.log(`datafast-devserver: ${signal} received, shutting down`);
      dev.close().then(resolve, (error: unknown) => {
        console.error(`datafast-devserver: shutdown failed: ${(error as Error).message}`);
        process.exitCode = 1;
        resolve();
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  console.log(banner(dev, flags, config, controlToken));
  await stopped;
  console.log(
    `datafast-devserver: stopped${flags.dataFile ? `; data saved to ${flags.dataFile}` : ''}`,
  );
  return process.exitCode === 1 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`datafast-devserver: ${(error as Error)?.stack ?? String(error)}`);
    process.exit(1);
  },
);
