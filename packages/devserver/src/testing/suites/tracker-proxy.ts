import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DevServer, startDevServer } from '../../index.js';
import { launchChromium } from '../chromium.js';
import {
  type AppEnv,
  type ExampleApp,
  type RunningExample,
  resolveExample,
  startExample,
} from '../example.js';
import { payOnPage, trackerVisitor } from '../visitor-flows.js';

/** Options of {@link describeTrackerProxy}. */
export interface TrackerProxyOptions {
  /**
   * Whether the proxy tells DataFast the visitor's address from the connection (`::1` here: the
   * browser reaches the app over IPv6 and the app the devserver over IPv4, so `::1` can only
   * have come from the proxy's `x-datafast-real-ip`). `false` where nothing in a request says it
   * unforgeably (a bare `next start`, with no platform and no trusted proxy in front): the proxy
   * sends none and DataFast sees the app's own address, `127.0.0.1`. Default `true`.
   */
  forwardsVisitorIp?: boolean;
}

/** What {@link describeTrackerProxy} started, for a file's own tests beside the suite's. */
export interface TrackerProxySuite {
  readonly dev: DevServer;
  /** The app, opened at `http://[::1]:<port>` (its `origin`). */
  readonly app: RunningExample;
  /** Starts another instance of the app on the suite's devserver, with `env` added; stop it. */
  start(env?: AppEnv): Promise<RunningExample>;
}

/**
 * POSTs a pageview to an app's `/api/events` as the tracker does (text/plain JSON, same-origin),
 * with extra headers, e.g. an `X-Forwarded-For` the visitor wrote.
 *
 * @example
 * await postPageview(app, visitorId, { 'x-forwarded-for': '203.0.113.9' }) // 202
 */
export function postPageview(
  app: RunningExample,
  visitor: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${app.origin}/api/events`, {
    method: 'POST',
    // What a browser sends with the tracker's post: Astro's origin check reads Sec-Fetch-Site
    // first (its URL says localhost, not the address the test opens), SvelteKit's reads Origin.
    headers: {
      'content-type': 'text/plain',
      origin: app.origin,
      'sec-fetch-site': 'same-origin',
      ...headers,
    },
    body: JSON.stringify({ type: 'pageview', href: `${app.origin}/`, visitorId: visitor }),
  });
}

/**
 * The tracker proxy (`/js/script.js`, `/api/events`) in the app as users run it: a browser that
 * blocks DataFast's host, as an ad blocker does, and forges `X-Forwarded-For` and `X-Real-IP`,
 * still gets the visitor cookie, its pageview reaches DataFast (the devserver) through the app
 * with its own address (or none, see {@link TrackerProxyOptions.forwardsVisitorIp}), and its
 * payment is attributed; a forged `X-Forwarded-For` never becomes the visitor's address.
 *
 * Registers its hooks and tests where it is called; one instance of the app serves them.
 *
 * @example
 * const proxy = describeTrackerProxy({ command: process.execPath, args: ['server.js'], cwd: appDir })
 */
export function describeTrackerProxy(
  example: ExampleApp,
  options: TrackerProxyOptions = {},
): TrackerProxySuite {
  const { routes, labels } = resolveExample(example);
  const visitorIp = options.forwardsVisitorIp === false ? '127.0.0.1' : '::1';
  let dev: DevServer;
  let app: RunningExample;
  const start = (env: AppEnv = {}) =>
    startExample(example, {
      at: 'ipv6',
      env: {
        DATAFAST_API_KEY: dev.apiKey,
        DATAFAST_BASE_URL: dev.url,
        DATAFAST_SCRIPT_URL: undefined,
        ...env,
      },
    });

  beforeAll(async () => {
    dev = await startDevServer();
    app = await start();
  });
  afterAll(async () => {
    await app?.stop();
    await dev?.close();
  });

  it('attributes a visitor whose browser blocks DataFast: script, pageview and payment go through the app', async () => {
    const browser = await launchChromium();
    try {
      const blocked: string[] = [];
      await browser.route(`${dev.url}/**`, (route) => {
        blocked.push(route.request().url());
        return route.abort('blockedbyclient');
      });
      // Headers a visitor can write, as a forger would: never the address DataFast gets.
      await browser.setExtraHTTPHeaders({ 'x-forwarded-for': '6.6.6.6', 'x-real-ip': '6.6.6.6' });
      const page = await browser.newPage();
      page.setDefaultTimeout(10_000);
      await page.goto(`${app.origin}${routes.page}`);
      const visitor = await trackerVisitor(page, app.origin);

      const pageview = await dev.waitForPageview(visitor ?? '');
      expect(pageview).toMatchObject({
        url: `${app.origin}${routes.page}`,
        ip: visitorIp,
        user_agent: await page.evaluate(() => navigator.userAgent),
      });
      const transactionId = await payOnPage(page, labels);
      expect((await dev.waitForPayment(transactionId)).datafast_visitor_id).toBe(visitor);
      expect(blocked).toEqual([]);
    } finally {
      await browser.dispose();
    }
  });

  it('ignores an X-Forwarded-For the visitor writes: the address is never one a request claims', async () => {
    const visitor = '5d3c2b1a-0f9e-4d8c-b7a6-958473625140';
    const response = await postPageview(app, visitor, { 'x-forwarded-for': '203.0.113.9' });

    expect(response.status).toBe(202);
    expect((await dev.waitForPageview(visitor)).ip).toBe(visitorIp);
  });

  return {
    get dev() {
      return dev;
    },
    get app() {
      return app;
    },
    start,
  };
}
