import { describeId, messageOf } from './errors.js';
import type { Log } from './log.js';
import { isPromiseLike, type Outbox, type SharedOutbox } from './outbox.js';
import { bounded } from './timers.js';

/**
 * Removes delivered (or given-up) reports from the outbox, and keeps the deletes still in flight,
 * so that `flush`, `shutdown`, `drain` and the promise handed to `waitUntil` settle only once the
 * outbox has forgotten what they delivered. Otherwise a serverless function frozen right after
 * its response keeps the rows, and once their leases lapse another instance sends those reports
 * again: DataFast counts them once (`transaction_id`), but each is one more request, and one
 * that a `payments.delete` made meanwhile would bring back.
 */
export function createOutboxDeletes(
  outbox: Outbox | SharedOutbox,
  log: Log,
  /** How long a delete is waited for: the attempt timeout, as for the other outbox calls. */
  timeoutMs: () => number,
) {
  const inFlight = new Map<string, Promise<void>>();

  return {
    /**
     * Deletes report `id` from the outbox: a promise (that never rejects) while an asynchronous
     * delete is in flight, `undefined` once done (a synchronous outbox). A failure is logged.
     */
    delete(id: string): Promise<void> | undefined {
      const failed = (error: unknown) =>
        log.error(
          `could not delete payment ${describeId(id)} from the outbox: ${messageOf(error)}`,
        );
      let result: void | Promise<void>;
      try {
        result = outbox.delete(id);
      } catch (error) {
        failed(error);
        return undefined;
      }
      if (!isPromiseLike(result)) return undefined;
      const deleted: Promise<void> = bounded(Promise.resolve(result), timeoutMs(), 'delete')
        .then(undefined, failed)
        .finally(() => {
          if (inFlight.get(id) === deleted) inFlight.delete(id);
        });
      inFlight.set(id, deleted);
      return deleted;
    },

    /** The delete of report `id` still in flight, if any. */
    of(id: string): Promise<void> | undefined {
      return inFlight.get(id);
    },

    /** Settles once the deletes in flight now have; `undefined` when none is. */
    settled(): Promise<void> | undefined {
      return inFlight.size === 0 ? undefined : Promise.all(inFlight.values()).then(() => {});
    },
  };
}

export type OutboxDeletes = ReturnType<typeof createOutboxDeletes>;
