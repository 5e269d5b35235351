import type { StripeObject } from './objects.js';
import { type DeliveryAttempt, postEvent } from './webhooks.js';

/**
 * One event of the stand-in and its deliveries: `pending` (held, or not sent yet), `delivering`,
 * `delivered` (the last attempt got a 2xx), `failed`, or `no endpoint` (its link has no webhook).
 *
 * @example
 * const [completed] = dev.stripe.events(); completed.deliveries.at(-1)?.status // 200
 */
export interface EventRecord {
  /** The event as it is delivered: the object as it was when the event happened. */
  event: StripeObject;
  /** The Checkout Session it belongs to (refunds and renewals included). */
  session_id: string;
  /** Its payment link; `null` for a Checkout Session created with the API. */
  link_id: string | null;
  status: 'pending' | 'delivering' | 'delivered' | 'failed' | 'no endpoint';
  /** Every attempt, oldest first. */
  deliveries: DeliveryAttempt[];
}

/** Where a link's events go. */
export interface Endpoint {
  url: string;
  secret: string;
}

/**
 * The events and their delivery: each one is POSTed to its link's endpoint as soon as it
 * happens, one at a time per Checkout Session in the order they happened, unless delivery is
 * held; then they wait until `deliverPending` sends them, in order or reversed. Redelivery sends
 * the same event again (same id, fresh signature), as Stripe's "Resend" does. Nothing is retried
 * by itself: a failed delivery waits for a redelivery.
 */
export class EventLog {
  readonly #records: EventRecord[] = [];
  readonly #byId = new Map<string, EventRecord>();
  /** Per session, the end of its delivery queue: its events go out one at a time. */
  readonly #queues = new Map<string, Promise<void>>();
  readonly #inflight = new Set<Promise<void>>();
  readonly #endpoint: (linkId: string | null) => Endpoint | undefined;
  readonly #closing: AbortSignal;
  readonly #changed: () => void;
  hold = false;

  constructor(options: {
    endpoint: (linkId: string | null) => Endpoint | undefined;
    closing: AbortSignal;
    changed: () => void;
  }) {
    this.#endpoint = options.endpoint;
    this.#closing = options.closing;
    this.#changed = options.changed;
  }

  /** Records an event, and sends it unless delivery is held or its link has no endpoint. */
  add(event: StripeObject, sessionId: string, linkId: string | null): EventRecord {
    const record: EventRecord = {
      event,
      session_id: sessionId,
      link_id: linkId,
      status: this.#endpoint(linkId) ? 'pending' : 'no endpoint',
      deliveries: [],
    };
    this.#records.push(record);
    this.#byId.set(event.id, record);
    if (record.status === 'pending' && !this.hold) this.#send(record);
    return record;
  }

  /** Every event, oldest first. */
  list(): EventRecord[] {
    return [...this.#records];
  }

  get(id: string): EventRecord | undefined {
    return this.#byId.get(id);
  }

  /** Sends an event again (same id, fresh signature). Throws a `RangeError` for an unknown id. */
  redeliver(id: string): EventRecord {
    const record = this.#byId.get(id);
    if (!record) throw new RangeError(`No such event: ${id}`);
    if (!this.#endpoint(record.link_id)) {
      throw new TypeError(`Event ${id} has no endpoint: its payment link has no webhookUrl`);
    }
    this.#send(record);
    return record;
  }

  /**
   * Sends a session's pending events, in the order they happened or reversed (the webhook
   * handler's out-of-order case: `invoice.paid` before `checkout.session.completed`).
   */
  deliverPending(sessionId: string, order: 'created' | 'reverse'): EventRecord[] {
    const pending = this.#records.filter(
      (r) => r.session_id === sessionId && r.status === 'pending',
    );
    const sent = order === 'reverse' ? pending.reverse() : pending;
    for (const record of sent) this.#send(record);
    return sent;
  }

  /** Resolves once no delivery is queued or in flight. */
  async settled(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.all(this.#inflight);
  }

  /** Forgets every event (deliveries in flight finish, unrecorded). */
  clear(): void {
    this.#records.length = 0;
    this.#byId.clear();
  }

  /** Puts back events from the data file; one that was being delivered is pending again. */
  restore(records: EventRecord[]): void {
    for (const record of records) {
      if (record.status === 'delivering') record.status = 'pending';
      this.#records.push(record);
      this.#byId.set(record.event.id, record);
    }
  }

  #send(record: EventRecord): void {
    record.status = 'pending';
    const queued = (this.#queues.get(record.session_id) ?? Promise.resolve()).then(() =>
      this.#deliver(record),
    );
    this.#queues.set(record.session_id, queued);
    const tracked = queued.finally(() => {
      this.#inflight.delete(tracked);
      if (this.#queues.get(record.session_id) === queued) this.#queues.delete(record.session_id);
    });
    this.#inflight.add(tracked);
    this.#changed();
  }

  async #deliver(record: EventRecord): Promise<void> {
    const endpoint = this.#endpoint(record.link_id);
    if (!endpoint || this.#closing.aborted) return;
    record.status = 'delivering';
    this.#changed();
    const payload = JSON.stringify(record.event, null, 2); // Stripe sends indented JSON
    const attempt = await postEvent(
      endpoint.url,
      endpoint.secret,
      payload,
      record.deliveries.length + 1,
      this.#closing,
    );
    record.deliveries.push(attempt);
    record.status = attempt.ok ? 'delivered' : 'failed';
    this.#changed();
  }
}
