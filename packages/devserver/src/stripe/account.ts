import { refund, renew, settle } from './after-payment.js';
import type { EventLog, EventRecord } from './deliveries.js';
import { StripeActionError } from './errors.js';
import { stripeId } from './ids.js';
import { Ledger, now } from './ledger.js';
import { type PaymentLink, parsePaymentLink } from './links.js';
import {
  type Buyer,
  customerDetails,
  customerObject,
  type StripeObject,
  subscriptionObject,
} from './objects.js';
import { keepPurchase, type Purchase, purchaseOfLink, purchaseOfSession } from './purchase.js';
import { openSessionObject } from './session-object.js';
import type { SessionParams } from './session-params.js';
import type { StripeStore } from './store.js';

/** What the buyer typed on the checkout page, and the visitor the link carried. */
export interface CheckoutInput {
  /** `?client_reference_id=` of the link: letters, digits, `-` and `_`, at most 200 (else ignored). */
  clientReferenceId?: string | null;
  email?: string | null;
  name?: string | null;
}

/** A paid (or pending) checkout: the session, where the buyer goes next and the events sent. */
export interface CheckoutResult {
  session: StripeObject;
  /** The link's success URL with the session id filled in; `null` without one. */
  redirectUrl: string | null;
  events: EventRecord[];
}

const DAY = 86_400;
const copy = <T>(value: T): T => structuredClone(value);
const validReference = (value: string) => /^[A-Za-z0-9_-]{1,200}$/.test(value);

/**
 * The stand-in's Stripe account: its payment links, and what happens to money in it. Paying a
 * link creates what Stripe creates (a Customer, a Checkout Session, a PaymentIntent and Charge,
 * or a Subscription with its first Invoice), and each change is an event for the link's
 * endpoint: `checkout.session.completed`, `invoice.paid`, `checkout.session.async_payment_*`,
 * `refund.created`.
 */
export class StripeAccount {
  readonly store: StripeStore;
  readonly events: EventLog;
  readonly #links = new Map<string, PaymentLink>();
  /** Links from the config: not written to the data file (the config has them). */
  readonly #configured = new Set<string>();

  readonly #ledger: Ledger;

  constructor(store: StripeStore, events: EventLog, configured: PaymentLink[]) {
    this.store = store;
    this.events = events;
    this.#ledger = new Ledger(store, events);
    for (const link of configured) {
      this.#links.set(link.id, link);
      this.#configured.add(link.id);
    }
  }

  links(): PaymentLink[] {
    return [...this.#links.values()];
  }

  link(id: string): PaymentLink | undefined {
    return this.#links.get(id);
  }

  /** Links created at run time (`createPaymentLink`), which the data file keeps. */
  createdLinks(): PaymentLink[] {
    return this.links().filter((link) => !this.#configured.has(link.id));
  }

  /**
   * Adds a payment link; throws a `TypeError` naming the field, or for an id in use. A link
   * from the data file whose id the config now uses is skipped (`restoring`).
   */
  addLink(input: unknown, restoring = false): PaymentLink {
    const link = parsePaymentLink(input, 'paymentLink');
    if (this.#links.has(link.id)) {
      if (restoring) return link;
      throw new TypeError(`paymentLink.id "${link.id}" is in use: choose another id`);
    }
    this.#links.set(link.id, link);
    return link;
  }

  /** "Pay" on a link's checkout page: a new session, paid at once. */
  checkout(linkId: string, input: CheckoutInput): CheckoutResult {
    const link = this.#links.get(linkId);
    if (!link) throw new StripeActionError(404, `No such payment link: ${linkId}`);
    const reference = input.clientReferenceId?.trim();
    const session = openSessionObject({
      id: stripeId('cs'),
      created: now(),
      mode: link.interval === 'once' ? 'payment' : 'subscription',
      amountTotal: link.unitAmount,
      currency: link.currency,
      clientReferenceId: reference && validReference(reference) ? reference : null,
      paymentLink: link.id,
      paymentMethodTypes: [link.paymentMethod],
      successUrl: link.successUrl,
      url: null,
    });
    return this.#complete(session, purchaseOfLink(link), input);
  }

  /**
   * `POST /v1/checkout/sessions`: an open session, to be paid on its hosted page at `url`
   * (`hostedUrl(id)`). Throws a `StripeParamError` naming a parameter Stripe would refuse.
   */
  createSession(params: SessionParams, hostedUrl: (id: string) => string): StripeObject {
    const id = stripeId('cs');
    const session = openSessionObject({
      id,
      created: now(),
      mode: params.mode,
      amountTotal: params.purchase.trialDays > 0 ? 0 : params.purchase.unitAmount,
      amountSubtotal: params.purchase.unitAmount,
      currency: params.purchase.currency,
      clientReferenceId: params.clientReferenceId,
      paymentLink: null,
      paymentMethodTypes: params.paymentMethodTypes,
      successUrl: params.successUrl,
      cancelUrl: params.cancelUrl,
      customerEmail: params.customerEmail,
      metadata: params.metadata,
      lineItems: params.lineItems,
      url: hostedUrl(id),
    });
    keepPurchase(this.store, id, params.purchase);
    this.store.put(session);
    return copy(session);
  }

  /** What an open session created with the API sells, for its hosted page; 404 or 409 otherwise. */
  openSession(id: string): { session: StripeObject; purchase: Purchase } {
    const session = this.#ledger.session(id);
    const purchase = purchaseOfSession(this.store, id);
    if (!purchase) throw new StripeActionError(404, `No such Checkout Session: ${id}`);
    if (session.status !== 'open') {
      throw new StripeActionError(409, `Checkout Session ${id} is ${session.status as string}`);
    }
    return { session: copy(session), purchase };
  }

  /** "Pay" on the hosted page of a session created with the API. */
  paySession(id: string, input: Omit<CheckoutInput, 'clientReferenceId'>): CheckoutResult {
    const { purchase } = this.openSession(id);
    return this.#complete(this.#ledger.session(id), purchase, input);
  }

  /**
   * Pays an open session as Stripe does: a Customer, then a PaymentIntent and Charge, or a
   * Subscription with its first Invoice; the session completes and each change is an event.
   */
  #complete(session: StripeObject, purchase: Purchase, input: CheckoutInput): CheckoutResult {
    const created = now();
    const buyer: Buyer = {
      customer: stripeId('cus'),
      email: input.email?.trim() || (session.customer_email as string | null) || null,
      name: input.name?.trim() || null,
      country: 'FR',
    };
    this.store.put(customerObject({ id: buyer.customer as string, created, ...buyer }));
    const async = purchase.paymentMethod !== 'card';
    const methods = [purchase.paymentMethod];
    const events: [string, StripeObject][] = [];
    let paid: Record<string, unknown>;
    if (purchase.interval === 'once') {
      const paymentIntent = this.#ledger.charge(
        purchase.unitAmount,
        purchase.currency,
        buyer,
        methods,
        async,
      );
      Object.assign(this.store.get(paymentIntent) as StripeObject, {
        metadata: { ...purchase.paymentIntentMetadata },
      });
      paid = {
        payment_intent: paymentIntent,
        payment_status: async ? 'unpaid' : 'paid',
      };
    } else {
      const trial = purchase.trialDays > 0;
      const amount = trial ? 0 : purchase.unitAmount;
      const subscription = stripeId('sub');
      const invoice = this.#ledger.invoice(
        subscription,
        'subscription_create',
        amount,
        purchase.currency,
        {
          buyer,
          methods,
          async: async && !trial,
          metadata: purchase.subscriptionMetadata,
        },
      );
      const period = purchase.interval === 'month' ? 30 * DAY : 365 * DAY;
      this.store.put({
        ...subscriptionObject({
          id: subscription,
          created,
          customer: buyer.customer,
          currency: purchase.currency,
          interval: purchase.interval,
          unitAmount: purchase.unitAmount,
          productName: purchase.name,
          latestInvoice: invoice.id,
          trialEnd: trial ? created + purchase.trialDays * DAY : null,
          periodEnd: created + (trial ? purchase.trialDays * DAY : period),
        }),
        metadata: { ...purchase.subscriptionMetadata },
      });
      paid = {
        amount_total: amount,
        subscription,
        invoice: invoice.id,
        payment_status: trial ? 'no_payment_required' : async ? 'unpaid' : 'paid',
      };
      if (invoice.status === 'paid') events.push(['invoice.paid', invoice]);
    }
    Object.assign(session, {
      ...paid,
      customer: buyer.customer,
      customer_details: customerDetails(buyer),
      status: 'complete',
      url: null,
    });
    this.store.put(session);
    events.unshift(['checkout.session.completed', session]);
    const records = events.map(([type, object]) => this.#ledger.emit(type, object, session));
    const successUrl =
      (session.success_url as string | null)?.replaceAll('{CHECKOUT_SESSION_ID}', session.id) ??
      null;
    return { session: copy(session), redirectUrl: successUrl, events: records };
  }

  /** Settles a session paid with an asynchronous method (see `after-payment.ts`). */
  settle(sessionId: string, outcome: 'succeeded' | 'failed'): EventRecord[] {
    return settle(this.#ledger, sessionId, outcome);
  }

  /** Refunds a payment, all of what is left or `amount` (smallest unit): `refund.created`. */
  refund(paymentIntentId: string, amount?: number): { refund: StripeObject; event: EventRecord } {
    return refund(this.#ledger, paymentIntentId, amount);
  }

  /** Bills a subscription's next period: `invoice.paid` (`subscription_cycle`). */
  renew(subscriptionId: string): { invoice: StripeObject; event: EventRecord } {
    return renew(this.#ledger, subscriptionId);
  }

  /** The Checkout Sessions, newest first. */
  sessions(): StripeObject[] {
    return this.store.list('checkout.session');
  }
}
