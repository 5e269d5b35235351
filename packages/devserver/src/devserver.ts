import type { PaymentRecord, PaymentStore } from './api/payment-store.js';
import { ApiPipeline } from './api/pipeline.js';
import { RequestLog, type RequestLogEntry } from './api/request-log.js';
import { type DevServerStats, emptyRequestCounts } from './api/stats.js';
import { ControlAccess } from './control/access.js';
import type { ControlTarget } from './control/endpoints.js';
import { HostPolicy } from './control/hosts.js';
import { EventStream, streamStoreChanges } from './dashboard/events.js';
import type { DataFile } from './data/data-file.js';
import { FaultInjector, type Faults, parseFaults } from './faults.js';
import { ServerLifecycle } from './http/lifecycle.js';
import { DEFAULT_BODY_LIMIT } from './http/messages.js';
import { createRouter } from './http/router.js';
import { devServerRoutes } from './routes.js';
import type { ResolvedConfig } from './settings/config.js';
import type { ServerSettings } from './settings/options.js';
import type { StripeData } from './stripe/index.js';
import { type DevServerStripe, StripeService, webhookSecretFor } from './stripe/index.js';
import {
  type AttributionReport,
  attributeRevenue,
  signedAmount,
  type VisitorSource,
} from './tracker/attribution.js';
import type { PageviewRecord, PageviewStore } from './tracker/pageviews.js';
import {
  type PageviewMatcher,
  type PaymentMatcher,
  pageviewArrivals,
  paymentArrivals,
  waitFor,
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

/** Puts the parts together: the store, the API pipeline, the event fan-out, the routes. */
export class RunningDevServer implements DevServer {
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
    const routes = devServerRoutes({
      api: () => this.#api,
      control: this.#controlTarget(bodyLimit),
      stripe: () => this.#stripe,
      pageviews: this.#pageviews,
    });
    this.#lifecycle = new ServerLifecycle(createRouter(routes, hosts, access), print);
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
    const arrivals = paymentArrivals(this.#store, () => this.#log.size);
    return waitFor(arrivals, this.#lifecycle.closing, match, options.timeoutMs);
  }

  pageviews(): PageviewRecord[] {
    return this.#pageviews.list();
  }

  waitForPageview(match: PageviewMatcher, options: { timeoutMs?: number } = {}) {
    const arrivals = pageviewArrivals(this.#pageviews);
    return waitFor(arrivals, this.#lifecycle.closing, match, options.timeoutMs);
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
