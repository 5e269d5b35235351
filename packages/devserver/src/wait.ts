import type { PaymentRecord, PaymentStore } from './api/payment-store.js';
import { milliseconds } from './http/timers.js';
import type { PageviewRecord, PageviewStore } from './tracker/pageviews.js';

/** Which stored payment `waitForPayment` waits for: a `transaction_id` or a predicate. */
export type PaymentMatcher = string | ((payment: PaymentRecord) => boolean);

/** Which pageview `waitForPageview` waits for: a visitor id or a predicate. */
export type PageviewMatcher = string | ((pageview: PageviewRecord) => boolean);

/** Records that arrive, and how a wait for one names itself and what did arrive. */
export interface Arrivals<T> {
  /** The public method that waits (`waitForPayment`), for messages. */
  caller: string;
  /** `a payment`. */
  noun: string;
  /** The field a string matcher compares (`transaction_id`). */
  idField: keyof T & string;
  list(): T[];
  onArrival(listener: (record: T) => void): () => void;
  /** What did arrive, for the timeout's message. */
  received(): string;
}

/** The stored payments, for `waitForPayment`. */
export function paymentArrivals(
  store: PaymentStore,
  requests: () => number,
): Arrivals<PaymentRecord> {
  return {
    caller: 'waitForPayment',
    noun: 'a payment',
    idField: 'transaction_id',
    list: () => store.list(),
    onArrival: (listener) =>
      store.subscribe((event) => {
        if (event.type === 'payment') listener(event.record);
      }),
    received: () => `${store.size} stored, ${requests()} API requests received`,
  };
}

/** The pageviews the stand-in tracker (or a proxy) sent, for `waitForPageview`. */
export function pageviewArrivals(store: PageviewStore): Arrivals<PageviewRecord> {
  return {
    caller: 'waitForPageview',
    noun: 'a pageview',
    idField: 'visitor_id',
    list: () => store.list(),
    onArrival: (listener) => store.subscribe(listener),
    received: () => `${store.list().length} pageviews received`,
  };
}

/**
 * Resolves with the first record that matches (an id or a predicate), already there or arriving
 * later; rejects after `timeoutMs` (saying what did arrive) or when `closed` aborts.
 */
export function waitFor<T>(
  arrivals: Arrivals<T>,
  closed: AbortSignal,
  match: string | ((record: T) => boolean),
  timeoutMs = 5000,
): Promise<T> {
  const { caller, noun } = arrivals;
  try {
    milliseconds(timeoutMs, `${caller}: timeoutMs`);
  } catch (error) {
    return Promise.reject(error);
  }
  const matches =
    typeof match === 'string' ? (record: T) => record[arrivals.idField] === match : match;
  const described = typeof match === 'string' ? `${arrivals.idField} "${match}"` : 'the predicate';
  const found = arrivals.list().find(matches);
  if (found) return Promise.resolve(found);
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      closed.removeEventListener('abort', onClose);
    };
    const timer = setTimeout(() => {
      done();
      reject(
        new Error(
          `${caller}: no ${noun.slice(2)} matching ${described} arrived within ${timeoutMs} ms ` +
            `(${arrivals.received()})`,
        ),
      );
    }, timeoutMs);
    const onClose = () => {
      done();
      reject(
        new Error(`${caller}: the devserver closed before ${noun} matching ${described} arrived`),
      );
    };
    const unsubscribe = arrivals.onArrival((record) => {
      if (matches(record)) {
        done();
        resolve(record);
      }
    });
    if (closed.aborted) onClose();
    else closed.addEventListener('abort', onClose);
  });
}
