import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from './app.js';
import { getFreePort } from './port.js';

/** Environment variables for an app; `undefined` unsets one the test runner has. */
export type AppEnv = Record<string, string | undefined>;

/**
 * The routes of the examples' contract, as your app names them. Change one here when you move
 * the route in your app; the suites use nothing else.
 */
export interface ExampleRoutes {
  /** The checkout page (the tracker tag, the payment-link button, "Pay with Checkout"). */
  page: string;
  /** `POST` JSON `{ amount, currency, email? }`, answers `{ transaction_id }`. */
  checkout: string;
  /** Stripe's signed webhook events. */
  webhook: string;
  /** The payment-link success page, called with `?session_id=`. */
  success: string;
}

/** What the checkout page and the success page show, by their accessible names and text. */
export interface ExampleLabels {
  /** The button of the page's own checkout form. */
  pay: string;
  /** The form's email field. */
  email: string;
  /** The payment-link button (a link). */
  paymentLink: string;
  /** The button that starts a Checkout Session. */
  payWithCheckout: string;
  /** The success page's text for the suites' $29.99 payment. */
  paid: string;
}

/**
 * Your app, as the shared suites of `@datafast-checkout/devserver/testing/vitest` start it: how it
 * starts (what `npm run start` runs, without npm), and the routes and labels where yours differ
 * from the examples'. The suites give it the contract's variables (`PORT`, `DATAFAST_API_KEY`,
 * `DATAFAST_BASE_URL`, the `STRIPE_*` ones) themselves.
 *
 * @example
 * const app: ExampleApp = { command: process.execPath, args: ['server.js'], cwd: fileURLToPath(new URL('..', import.meta.url)) }
 */
export interface ExampleApp {
  /** The app's folder. */
  cwd: string;
  /** The executable, e.g. `process.execPath`. */
  command: string;
  /** Its arguments, e.g. `['server.js']`, `[nextBin, 'start']`, `['build']`. */
  args?: string[];
  /**
   * What your app needs beyond the contract's variables (`NODE_ENV`, SvelteKit's `ORIGIN`); a
   * function gets the origin the tests open it at, `http://127.0.0.1:<port>` or
   * `http://[::1]:<port>`. The contract's variables win over these.
   */
  env?: AppEnv | ((origin: string) => AppEnv);
  /**
   * A file the build writes, relative to `cwd` (`.next/BUILD_ID`, `build/index.js`): when it is
   * missing, the suites fail at once with "run `npm run build`" rather than time out.
   */
  buildOutput?: string;
  routes?: Partial<ExampleRoutes>;
  labels?: Partial<ExampleLabels>;
}

/** The examples' routes: the contract's. */
export const DEFAULT_ROUTES: ExampleRoutes = {
  page: '/',
  checkout: '/api/checkout',
  webhook: '/api/webhooks/stripe',
  success: '/success',
};

/** The examples' labels. */
export const DEFAULT_LABELS: ExampleLabels = {
  pay: 'Pay $29.99',
  email: 'Email',
  paymentLink: 'Buy with a payment link',
  payWithCheckout: 'Pay with Checkout',
  paid: 'Payment of 29.99 USD received.',
};

/** The routes and labels of an example, its own over the defaults. */
export function resolveExample(example: ExampleApp): {
  routes: ExampleRoutes;
  labels: ExampleLabels;
} {
  return {
    routes: { ...DEFAULT_ROUTES, ...example.routes },
    labels: { ...DEFAULT_LABELS, ...example.labels },
  };
}

/** How {@link startExample} runs one instance of an example. */
export interface StartExampleOptions {
  /** The contract's variables for this instance; they win over the example's own `env`. */
  env?: AppEnv;
  /**
   * Where the tests open it: `'ipv4'` is `http://127.0.0.1:<port>`; `'ipv6'` is
   * `http://[::1]:<port>` with `HOST=::`, so that a browser reaches the app over IPv6 while the
   * app reaches the devserver over IPv4 (the tracker proxy's tests tell the two addresses apart).
   * Default `'ipv4'`.
   */
  at?: 'ipv4' | 'ipv6';
  /** The port; default a free one. */
  port?: number;
}

/** An example that answers HTTP, and the origin the tests open it at. */
export type RunningExample = RunningApp & { origin: string };

/**
 * Starts one instance of an example on a free port and resolves once it answers.
 *
 * @example
 * const app = await startExample(example, { env: { DATAFAST_BASE_URL: dev.url, DATAFAST_API_KEY: dev.apiKey } })
 */
export async function startExample(
  example: ExampleApp,
  options: StartExampleOptions = {},
): Promise<RunningExample> {
  if (example.buildOutput && !existsSync(join(example.cwd, example.buildOutput))) {
    throw new Error(
      `${example.cwd} is not built (no ${example.buildOutput}): run \`npm run build\``,
    );
  }
  const port = options.port ?? (await getFreePort());
  const ipv6 = options.at === 'ipv6';
  const origin = ipv6 ? `http://[::1]:${port}` : `http://127.0.0.1:${port}`;
  const own = typeof example.env === 'function' ? example.env(origin) : example.env;
  const app = await startApp({
    command: example.command,
    args: example.args,
    cwd: example.cwd,
    port,
    env: { ...own, ...(ipv6 ? { HOST: '::' } : {}), ...options.env },
  });
  return Object.assign(app, { origin });
}
