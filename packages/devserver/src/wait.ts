import type { PaymentRecord, PaymentStore } from './api/payment-store.js';
import { milliseconds } from './http/timers.js';
import type { PageviewRecord, PageviewStore } from './tracker/pageviews.js';

/** Which stored payment `waitForPayment` waits for: a `transaction_id` or a predicate. */
export type PaymentMatcher = string | ((payment: PaymentRecord) => boolean);

/** Which pageview `waitForPageview` waits for: a visitor id or a predicate. */
export type PageviewMatcher = string | ((pageview: PageviewRecord) => boolean);

/** Something that holds records and says when one arrives. */
interface Arrivals<T> {
  list(): T[];
  onArrival(listener: (record: T) => void): () => void;
}

/**
 * Resolves with the first stored payment that matches, already stored or arriving later;
 * rejects after `timeoutMs` (saying what did arrive, from `received()`) or when `closed` aborts.
 */
export function waitForPayment(
  store: PaymentStore,
  closed: AbortSignal,
  match: PaymentMatcher,
  timeoutMs: number,
  received: () => string,
): Promise<PaymentRecord> {
  const arrivals: Arrivals<PaymentRecord> = {
    list: () => store.list(),
    onArrival: (listener) =>
      store.subscribe((event) => {
        if (event.type === 'payment') listener(event.record);
      }),
  };
  return waitForRecord(arrivals, closed, timeoutMs, received, 'waitForPayment', 'a payment', {
    matches: typeof match === 'string' ? (r) => r.transaction_id === match : match,
    described: typeof match === 'string' ? `transaction_id "${match}"` : 'the predicate',
  });
}

/** Like {@link waitForPayment}, for the pageviews the stand-in tracker (or a proxy) sent. */
export function waitForPageview(
  store: PageviewStore,
  closed: AbortSignal,
  match: PageviewMatcher,
  timeoutMs: number,
  received: () => string,
): Promise<PageviewRecord> {
  const arrivals: Arrivals<PageviewRecord> = {
    list: () => store.list(),
    onArrival: (listener) => store.subscribe(listener),
  };
  return waitForRecord(arrivals, closed, timeoutMs, received, 'waitForPageview', 'a pageview', {
    matches: typeof match === 'string' ? (r) => r.visitor_id === match : match,
    described: typeof match === 'string' ? `visitor_id "${match}"` : 'the predicate',
  });
}

function waitForRecord<T>(
  arrivals: Arrivals<T>,
  closed: AbortSignal,
  timeoutMs: number,
  received: () => string,
  caller: string,
  noun: string,
  { matches, described }: { matches: (record: T) => boolean; described: string },
): Promise<T> {
  try {
    milliseconds(timeoutMs, `${caller}: timeoutMs`);
  } catch (error) {
    return Promise.reject(error);
  }
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
            `(${received()})`,
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
