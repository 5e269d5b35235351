import { type PaymentRecord, PaymentStore } from './api/payment-store.js';
import { ApiPipeline } from './api/pipeline.js';
import { RequestLog, type RequestLogEntry } from './api/request-log.js';
import { type DevServerStats, emptyRequestCounts } from './api/stats.js';
import { ControlAccess } from './control/access.js';
import { CONTROL_PREFIX, type ControlTarget, handleControl } from './control/endpoints.js';
import { HostPolicy } from './control/hosts.js';
import { EventStream, streamStoreChanges } from './dashboard/events.js';
import { dashboardHtml } from './dashboard/page.js';
import { DataFile } from './data/data-file.js';
import { DevServerDataError } from './errors.js';
import { FaultInjector, type Faults, parseFaults } from './faults.js';
import { ServerLifecycle } from './http/lifecycle.js';
import { DEFAULT_BODY_LIMIT, sendText } from './http/messages.js';
import { createRouter, type Route } from './http/router.js';
import { type ResolvedConfig, resolveConfig } from './settings/config.js';
import { type DevServerOptions, readOptions, type ServerSettings } from './settings/options.js';
import type { StripeData } from './stripe/index.js';
import {
  type DevServerStripe,
  handleCheckoutPage,
  handleSessionPage,
  StripeService,
  stripeKeyFor,
  webhookSecretFor,
} from './stripe/index.js';
import {
  type AttributionReport,
  attributeRevenue,
  signedAmount,
  type VisitorSource,
} from './tracker/attribution.js';
import { handleEvent, type PageviewRecord, PageviewStore } from './tracker/pageviews.js';
import { trackerScript } from './tracker/script.js';
import {
  type PageviewMatcher,
  type PaymentMatcher,
  waitForPageview,
  waitForPayment,
} from './wait.js';

/**
 * A running devserver.
 *
 * @example
 * const dev = await startDevServer(); await fetch(`${dev.url}/api/v1/payments`, { ... }); await dev.close();
 */
export interface DevServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:54321`; use it as the client's `baseUrl`. */
  readonly url: string;
  readonly port: number;
  /** The first website's `df_` key (the generated one when no website is configured). */
  readonly apiKey: string;
  /** The first website's id. */
  readonly websiteId: string;
  /** Stored payments, oldest first (copies). */
  payments(): PaymentRecord[];
  /** Every `/api/v1` request received, including faulted and rejected ones; credentials redacted. */
  requests(): RequestLogEntry[];
  /**
   * Resolves with the first stored payment that matches, already stored or arriving later;
   * rejects after `timeoutMs` (default 5000, at most 2^31-1) or when the server closes.
   */
  waitForPayment(match: PaymentMatcher, options?: { timeoutMs?: number }): Promise<PaymentRecord>;
  /** Pageviews the stand-in tracker sent to `POST /api/events` (directly or through a proxy). */
  pageviews(): PageviewRecord[];
  /** Like `waitForPayment`, for a pageview: a visitor id or a predicate. */
  waitForPageview(
    match: PageviewMatcher,
    options?: { timeoutMs?: number },
  ): Promise<PageviewRecord>;
  /** Where each visitor came from, by their first pageview: source, campaign, landing page. */
  visitors(): VisitorSource[];
  /**
   * Revenue by source, campaign and landing page, and the share that arrived unattributed (no
   * visitor id, or one the tracker never saw), as the dashboard shows it.
   */
  attribution(): AttributionReport;
  /** The Stripe stand-in: payment links with a hosted checkout, signed webhooks, the `/v1` API. */
  readonly stripe: DevServerStripe;
  stats(): DevServerStats;
  /**
   * Clears payments, pageviews, the request log, counters, faults, and the Stripe stand-in's
   * checkouts and events (its payment links stay); resolves once persisted.
   */
  reset(): Promise<void>;
  /** Replaces the fault settings; `setFaults({})` clears them. Throws a `TypeError` when invalid. */
  setFaults(faults: Faults): void;
  /** The current fault settings (`failNext.count` is what is left). */
  faults(): Faults;
  /** Stops listening, closes every connection (hanging ones too), flushes the data file. */
  close(): Promise<void>;
}

const GET_HEAD = ['GET', 'HEAD'];

/** Puts the parts together: the store, the API pipeline, the event fan-out, the routes. */
class RunningDevServer implements DevServer {
  readonly apiKey: string;
  readonly websiteId: string;

  readonly #config: ResolvedConfig;
  readonly #store: PaymentStore;
  readonly #log = new RequestLog();
  readonly #pageviews: PageviewStore;
  readonly #stripe: StripeService;
  readonly #faults: FaultInjector;
  readonly #events = new EventStream();
  readonly #api: ApiPipeline;
  readonly #lifecycle: ServerLifecycle;

  constructor(
    config: ResolvedConfig,
    stored: {
      store: PaymentStore;
      pageviews: PageviewStore;
      stripeKey: string;
      stripe?: StripeData;
      file?: DataFile;
    },
    options: ServerSettings,
  ) {
    const { store } = stored;
    this.#config = config;
    this.#store = store;
    this.#pageviews = stored.pageviews;
    this.#faults = new FaultInjector(config.faults);
    const first = config.websites[0] as ResolvedConfig['websites'][number];
    this.apiKey = first.apiKey;
    this.websiteId = first.id;
    const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
    const print =
      (options.quiet ?? true) ? () => {} : (options.log ?? ((line) => console.log(line)));

    const hosts = new HostPolicy(config.allowedHosts, options.host);
    const access = new ControlAccess(options.controlToken);
    this.#lifecycle = new ServerLifecycle(
      createRouter(this.#routes(bodyLimit), hosts, access),
      print,
    );
    this.#lifecycle.closing.addEventListener('abort', () => this.#events.close());
    this.#api = new ApiPipeline({
      config,
      store,
      log: this.#log,
      faults: this.#faults,
      lifecycle: this.#lifecycle,
      bodyLimit,
      report: (entry, line) => {
        this.#events.broadcast('request', entry);
        if (line === undefined) return;
        this.#events.broadcast('stats', this.stats());
        print(line);
      },
    });
    streamStoreChanges(store, this.#events, () => this.stats());
    this.#pageviews.subscribe((pageview, first) => {
      this.#events.broadcast('pageview', pageview);
      if (first) this.#events.broadcast('visitor', first);
    });
    this.#stripe = new StripeService({
      secretKey: stored.stripeKey,
      links: config.stripe.paymentLinks,
      ...(config.stripe.webhook
        ? {
            webhook: {
              url: config.stripe.webhook.url,
              secret:
                config.stripe.webhook.secret ??
                webhookSecretFor(config.websites[0]?.apiKey as string),
            },
          }
        : {}),
      ...(stored.stripe ? { saved: stored.stripe } : {}),
      baseUrl: () => this.url,
      closing: this.#lifecycle.closing,
      changed: () => {
        this.#events.broadcast('stripe', this.#stripe.summary());
        return store.persist();
      },
    });
    // The data file reads each section from the store that owns it when it writes.
    stored.file?.source('payments', () => store.list());
    stored.file?.source('pageviews', () => this.#pageviews.list());
    stored.file?.source('stripe', () => this.#stripe.data());
  }

  get stripe(): DevServerStripe {
    return this.#stripe;
  }

  get url(): string {
    return this.#lifecycle.url;
  }

  get port(): number {
    return this.#lifecycle.port;
  }

  listen(port: number, host: string): Promise<void> {
    return this.#lifecycle.listen(port, host);
  }

  payments(): PaymentRecord[] {
    return this.#store.list();
  }

  requests(): RequestLogEntry[] {
    return this.#log.list();
  }

  stats(): DevServerStats {
    return { ...this.#store.counts(), ...this.#api.counts };
  }

  waitForPayment(match: PaymentMatcher, options: { timeoutMs?: number } = {}) {
    return waitForPayment(
      this.#store,
      this.#lifecycle.closing,
      match,
      options.timeoutMs ?? 5000,
      () => `${this.#store.size} stored, ${this.#log.size} API requests received`,
    );
  }

  pageviews(): PageviewRecord[] {
    return this.#pageviews.list();
  }

  waitForPageview(match: PageviewMatcher, options: { timeoutMs?: number } = {}) {
    return waitForPageview(
      this.#pageviews,
      this.#lifecycle.closing,
      match,
      options.timeoutMs ?? 5000,
      () => `${this.#pageviews.list().length} pageviews received`,
    );
  }

  visitors(): VisitorSource[] {
    return this.#pageviews.visitors();
  }

  attribution(): AttributionReport {
    const visitors = Object.fromEntries(this.visitors().map((v) => [v.visitor_id, v]));
    return attributeRevenue(this.payments(), visitors, signedAmount);
  }

  async reset(): Promise<void> {
    this.#log.clear();
    this.#pageviews.clear();
    this.#stripe.clear();
    this.#events.broadcast('stripe', this.#stripe.summary());
    this.#api.counts = emptyRequestCounts();
    this.#faults.set({});
    this.#store.clear();
    this.#events.broadcast('faults', {});
    await this.#store.persist();
  }

  setFaults(faults: Faults): void {
    this.#faults.set(parseFaults(faults));
    this.#events.broadcast('faults', this.#faults.get());
  }

  faults(): Faults {
    return this.#faults.get();
  }

  close(): Promise<void> {
    return this.#lifecycle.close(() => this.#store.flush());
  }

  /**
   * The route table. Pages and endpoints that show or change payments are guarded (an allowed
   * Host, and this machine or the control token); the tracker (no data, loaded by pages on any
   * site), the API (it needs a key) and the Stripe stand-in's checkout pages are not.
   */
  #routes(bodyLimit: number): Route[] {
    const control = this.#controlTarget(bodyLimit);
    return [
      { path: '/api/v1/*', handle: (req, res, url) => this.#api.handle(req, res, url) },
      {
        path: `${CONTROL_PREFIX}/*`,
        guarded: true,
        handle: (req, res, url) => handleControl(control, req, res, url),
      },
      ...['/', '/index.html'].map(
        (path): Route => ({
          path,
          methods: GET_HEAD,
          guarded: true,
          handle: (_req, res) => sendText(res, 200, 'text/html; charset=utf-8', dashboardHtml()),
        }),
      ),
      // The Stripe stand-in: its API needs its secret key; its checkout pages are public, as
      // buy.stripe.com and checkout.stripe.com are, and refuse form posts from other sites.
      { path: '/v1/*', handle: (req, res, url) => this.#stripe.handleApi(req, res, url) },
      {
        path: '/buy/*',
        handle: (req, res, url) => handleCheckoutPage(this.#stripe, req, res, url),
      },
      {
        path: '/c/pay/*',
        handle: (req, res, url) => handleSessionPage(this.#stripe, req, res, url),
      },
      // The stand-in tracker's pageviews, sent from pages on any site (or through their proxy).
      { path: '/api/events', handle: (req, res) => handleEvent(this.#pageviews, req, res) },
      {
        path: '/js/script.js',
        methods: GET_HEAD,
        handle: (_req, res) =>
          sendText(res, 200, 'text/javascript; charset=utf-8', trackerScript(), {
            'Access-Control-Allow-Origin': '*',
          }),
      },
    ];
  }

  #controlTarget(bodyLimit: number): ControlTarget {
    const websites = () => this.#config.websites.map(({ id, domain }) => ({ id, domain }));
    return {
      payments: () => this.payments(),
      pageviews: () => this.pageviews(),
      visitors: () => this.visitors(),
      attribution: () => this.attribution(),
      // Built before the stand-in (the routes come first): read it when a request needs it.
      stripe: () => this.#stripe,
      requests: () => this.requests(),
      stats: () => this.stats(),
      faults: () => this.faults(),
      setFaults: (f) => this.setFaults(f),
      reset: () => this.reset(),
      websites,
      openEvents: (req, res) =>
        this.#events.open(req, res, {
          payments: this.payments(),
          requests: this.#log.list(30),
          stats: this.stats(),
          faults: this.faults(),
          websites: websites(),
          visitors: Object.fromEntries(this.visitors().map((v) => [v.visitor_id, v])),
          stripe: this.#stripe.summary(),
        }),
      bodyLimit,
    };
  }
}

/**
 * Starts a devserver. With no websites configured it creates one (`dev.apiKey`,
 * `dev.websiteId`), keyed with `apiKey`, else the key kept in `dataFile`, else a random one.
 * Listens on an ephemeral port of 127.0.0.1 unless told otherwise.
 *
 * @example
 * const dev = await startDevServer(); // then createDatafast({ apiKey: dev.apiKey, baseUrl: dev.url })
 */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  return startWithSettings(readOptions(options));
}

/**
 * Starts a devserver from settings already checked (the CLI reads its flags and config file
 * through the same schema), so nothing is validated twice.
 */
export async function startWithSettings(
  options: ServerSettings,
  label = 'startDevServer options',
): Promise<DevServer> {
  const file = options.dataFile ? new DataFile(options.dataFile) : undefined;
  const data = file ? await file.load() : { payments: [], pageviews: [] };
  const config = resolveConfig(options, label, options.apiKey ?? data.generatedApiKey);
  const store = new PaymentStore(file, data.payments);
  const pageviews = new PageviewStore(file, data.pageviews);
  const key = config.websites[0]?.apiKey as string;
  const stripeKey = config.stripe.secretKey ?? stripeKeyFor(key);
  const server = new RunningDevServer(
    config,
    {
      store,
      pageviews,
      stripeKey,
      ...(data.stripe ? { stripe: data.stripe } : {}),
      ...(file ? { file } : {}),
    },
    options,
  );
  // Kept at once, so that an app's .env stays valid from one start to the next.
  if (file && config.generatedWebsite && key !== file.generatedApiKey) {
    file.generatedApiKey = key;
    await store.persist().catch((error: NodeJS.ErrnoException) => {
      throw new DevServerDataError(
        `Could not write the data file ${file.path}: ${error.code ?? error.message}`,
      );
    });
  }
  await server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  return server;
}
