import type { IncomingMessage, ServerResponse } from 'node:http';
import { type CheckoutInput, type CheckoutResult, StripeAccount } from './account.js';
import { handleStripeApi } from './api.js';
import { handleStripeCreate } from './api-create.js';
import { EventLog, type EventRecord } from './deliveries.js';
import type { PaymentLink, PaymentLinkConfig, PublicPaymentLink } from './links.js';
import { publicLink } from './links.js';
import type { StripeObject } from './objects.js';
import { StripeStore } from './store.js';
import { type StripeSummary, stripeSummary } from './summary.js';

/**
 * The devserver's Stripe stand-in, as `dev.stripe`: payment links with a hosted checkout,
 * signed webhooks, the `/v1` API an app's `stripe` client reads, and the webhook handlers' hard
 * cases (refunds, renewals, redelivery, events out of order) one call each.
 *
 * @example
 * const link = await dev.stripe.createPaymentLink({ name: 'Pro', unitAmount: 2999, currency: 'usd', webhookUrl });
 */
export interface DevServerStripe {
  /** The secret key the `/v1` API accepts: an app's `STRIPE_SECRET_KEY`. */
  readonly secretKey: string;
  /** Where the `/v1` API is (the devserver's URL): an app's `STRIPE_API_BASE`. */
  readonly apiBase: string;
  /**
   * The account's webhook endpoint (config `stripe.webhookUrl`, or the CLI's `--forward-to`, as
   * `stripe listen --forward-to` is): it gets the events of Checkout Sessions created with the
   * API and of links without their own `webhookUrl`. `undefined` without one.
   */
  readonly webhookUrl: string | undefined;
  /** Its signing secret (`whsec_…`): an app's `STRIPE_WEBHOOK_SECRET`. */
  readonly webhookSecret: string | undefined;
  /**
   * Adds a payment link (kept in the data file) and answers it with its URL and its webhook
   * signing secret, the only time the secret is shown. Throws a `TypeError` naming a bad field.
   */
  createPaymentLink(
    link: PaymentLinkConfig,
  ): Promise<PublicPaymentLink & { webhookSecret: string }>;
  /** Every link, without secrets. */
  paymentLinks(): PublicPaymentLink[];
  /** Checkout Sessions, newest first. */
  sessions(): StripeObject[];
  /** A stored object (`cs_…`, `pi_…`, `in_…`, `sub_…`, `re_…`), as the API answers it. */
  retrieve(id: string): StripeObject | undefined;
  /** Every event with its delivery log, oldest first. */
  events(): EventRecord[];
  /** Refunds a PaymentIntent, all that is left or `amount` (smallest unit): `refund.created`. */
  refund(paymentIntent: string, amount?: number): Promise<StripeObject>;
  /** Bills a subscription's next period: `invoice.paid` with `billing_reason: subscription_cycle`. */
  renew(subscription: string): Promise<StripeObject>;
  /** Settles an asynchronous payment: `checkout.session.async_payment_succeeded` (or `_failed`). */
  settle(session: string, outcome?: 'succeeded' | 'failed'): Promise<EventRecord[]>;
  /** Sends an event again: same id, fresh signature, one more attempt in its log. */
  redeliver(event: string): Promise<EventRecord>;
  /** Sends a session's held events, in order or `reverse` (out of order). */
  deliverPending(session: string, order?: 'created' | 'reverse'): Promise<EventRecord[]>;
  /** Holds new events instead of sending them, until `deliverPending`; `false` sends again. */
  holdEvents(hold: boolean): Promise<void>;
  /** Resolves once every queued delivery has been attempted. */
  settled(): Promise<void>;
}

/** What the data file keeps of the stand-in. */
export interface StripeData {
  links: PaymentLink[];
  objects: StripeObject[];
  events: EventRecord[];
  hold: boolean;
}

/**
 * The stand-in inside a running devserver: the account, its events, and what the routes,
 * the dashboard and the data file need of them. `changed` is called after every change.
 */
export class StripeService implements DevServerStripe {
  readonly secretKey: string;
  readonly webhookUrl: string | undefined;
  readonly webhookSecret: string | undefined;
  readonly store = new StripeStore();
  readonly eventLog: EventLog;
  readonly account: StripeAccount;
  readonly #baseUrl: () => string;
  readonly #changed: () => Promise<void>;

  constructor(options: {
    secretKey: string;
    links: PaymentLink[];
    /** The account's endpoint, for sessions created with the API and links without their own. */
    webhook?: { url: string; secret: string };
    saved?: StripeData;
    baseUrl: () => string;
    closing: AbortSignal;
    /** Told of every change; resolves once it is persisted. */
    changed: () => Promise<void>;
  }) {
    this.secretKey = options.secretKey;
    this.webhookUrl = options.webhook?.url;
    this.webhookSecret = options.webhook?.secret;
    this.#baseUrl = options.baseUrl;
    this.#changed = options.changed;
    this.eventLog = new EventLog({
      endpoint: (linkId) => {
        const link = linkId === null ? undefined : this.account.link(linkId);
        if (link?.webhookUrl) return { url: link.webhookUrl, secret: link.webhookSecret };
        return options.webhook;
      },
      closing: options.closing,
      changed: () => void this.#changed().catch(() => {}),
    });
    this.account = new StripeAccount(this.store, this.eventLog, options.links);
    if (options.saved) {
      for (const link of options.saved.links) this.account.addLink(link, true);
      for (const object of options.saved.objects) this.store.put(object);
      this.eventLog.restore(options.saved.events);
      this.eventLog.hold = options.saved.hold;
    }
  }

  get apiBase(): string {
    return this.#baseUrl();
  }

  async createPaymentLink(config: PaymentLinkConfig) {
    const link = this.account.addLink(config);
    await this.#changed();
    return { ...publicLink(link, this.#baseUrl()), webhookSecret: link.webhookSecret };
  }

  paymentLinks(): PublicPaymentLink[] {
    return this.account.links().map((link) => publicLink(link, this.#baseUrl()));
  }

  sessions(): StripeObject[] {
    return this.account.sessions().map((s) => structuredClone(s));
  }

  retrieve(id: string): StripeObject | undefined {
    const found = this.store.get(id);
    return found && structuredClone(found);
  }

  events(): EventRecord[] {
    return this.eventLog.list().map((r) => structuredClone(r));
  }

  /** "Pay" on a link's checkout page: the session and its events, persisted before the redirect. */
  async checkout(linkId: string, input: CheckoutInput): Promise<CheckoutResult> {
    const result = this.account.checkout(linkId, input);
    await this.#changed();
    return result;
  }

  /** "Pay" on the hosted page of a session created with the API. */
  async paySession(id: string, input: Omit<CheckoutInput, 'clientReferenceId'>) {
    const result = this.account.paySession(id, input);
    await this.#changed();
    return result;
  }

  async refund(paymentIntent: string, amount?: number) {
    const { refund } = this.account.refund(paymentIntent, amount);
    await this.#changed();
    return refund;
  }

  async renew(subscription: string) {
    const { invoice } = this.account.renew(subscription);
    await this.#changed();
    return invoice;
  }

  async settle(session: string, outcome: 'succeeded' | 'failed' = 'succeeded') {
    const records = this.account.settle(session, outcome);
    await this.#changed();
    return records.map((r) => structuredClone(r));
  }

  async redeliver(event: string) {
    const record = this.eventLog.redeliver(event);
    await this.#changed();
    return structuredClone(record);
  }

  async deliverPending(session: string, order: 'created' | 'reverse' = 'created') {
    const records = this.eventLog.deliverPending(session, order);
    await this.#changed();
    return records.map((r) => structuredClone(r));
  }

  async holdEvents(hold: boolean) {
    this.eventLog.hold = hold;
    await this.#changed();
  }

  settled(): Promise<void> {
    return this.eventLog.settled();
  }

  /** Answers `/v1/*` for a `stripe` client that uses this stand-in's secret key. */
  handleApi(req: IncomingMessage, res: ServerResponse, url: URL): void | Promise<void> {
    const authorized = (key: string) => key === this.secretKey;
    if (req.method === 'POST') {
      return handleStripeCreate(
        {
          account: this.account,
          authorized,
          hostedUrl: (id) => `${this.#baseUrl()}/c/pay/${id}`,
          changed: this.#changed,
        },
        req,
        res,
        url,
      );
    }
    handleStripeApi({ store: this.store, authorized }, req, res, url);
  }

  /** Forgets checkouts and events (a reset); payment links stay. */
  clear(): void {
    this.store.clear();
    this.eventLog.clear();
  }

  /** What the data file keeps. */
  data(): StripeData {
    return {
      links: this.account.createdLinks(),
      objects: this.store.all(),
      events: this.eventLog.list(),
      hold: this.eventLog.hold,
    };
  }

  /** The dashboard's view: links, the latest checkouts and events, no secrets. */
  summary(): StripeSummary {
    return stripeSummary(this.account, this.eventLog, this.paymentLinks());
  }
}
