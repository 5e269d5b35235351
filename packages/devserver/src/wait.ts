import type { PaymentRecord, PaymentStore } from './store.js';
import { milliseconds } from './timers.js';

/** Which stored payment `waitForPayment` waits for: a `transaction_id` or a predicate. */
export type PaymentMatcher = string | ((payment: PaymentRecord) => boolean);

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
  try {
    milliseconds(timeoutMs, 'waitForPayment: timeoutMs');
  } catch (error) {
    return Promise.reject(error);
  }
  const matches =
    typeof match === 'string' ? (r: PaymentRecord) => r.transaction_id === match : match;
  const described = typeof match === 'string' ? `transaction_id "${match}"` : 'the predicate';
  const found = store.list().find(matches);
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
          `waitForPayment: no payment matching ${described} arrived within ${timeoutMs} ms ` +
            `(${received()})`,
        ),
      );
    }, timeoutMs);
    const onClose = () => {
      done();
      reject(
        new Error(
          `waitForPayment: the devserver closed before a payment matching ${described} arrived`,
        ),
      );
    };
    const unsubscribe = store.subscribe((event) => {
      if (event.type === 'payment' && matches(event.record)) {
        done();
        resolve(event.record);
      }
    });
    if (closed.aborted) onClose();
    else closed.addEventListener('abort', onClose);
  });
}
