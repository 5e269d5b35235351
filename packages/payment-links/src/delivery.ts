import { DatafastApiError, type PaymentInput } from '@datafast-checkout/core';
import type { Deadline } from './deadline.js';
import type { AttributedPayment } from './reports.js';
import type { SharedStore } from './store.js';
import type { RoutedClient, WebsiteRouteInput } from './websites.js';

/** How one event's payments reach DataFast: each to its website, within the event's deadline. */
export interface Delivery {
  /** Records each payment (a duplicate `transaction_id` is a success); resolves their ids. */
  create(payments: AttributedPayment[]): Promise<string[]>;
  /**
   * Replaces the record DataFast holds under each payment's `transaction_id` (delete, then
   * create), for a record whose amount is a total that changes: a LemonSqueezy refund total.
   */
  replace(payments: AttributedPayment[]): Promise<string[]>;
  /**
   * Deletes the record DataFast holds under each payment's `transaction_id` (a chargeback the
   * provider reversed), at the website it was routed to; one DataFast does not have (never
   * recorded, or deleted by an earlier delivery of this event) is already gone.
   */
  withdraw(payments: AttributedPayment[]): Promise<string[]>;
}

/**
 * Some payments of an event did not reach DataFast (each already went to `onError` with its
 * payment): the webhook answers 5xx. `reason` is the first failure, which decides the status.
 */
export class DeliveryFailure extends Error {
  constructor(readonly reason: unknown) {
    super(reason instanceof Error ? reason.message : String(reason));
    this.name = 'DeliveryFailure';
  }
}

/** What {@link createDelivery} needs: the route, the event, the deadline and where losses go. */
export interface DeliveryContext {
  route(input: WebsiteRouteInput): Promise<RoutedClient>;
  /** The verified event, for routing. */
  source: unknown;
  deadline: Deadline;
  /** The longest one attempt may take, so that a hung connection still leaves room for a retry. */
  attemptTimeoutMs: number;
  /**
   * Where the ids (per website) that were delivered are remembered: a redelivery skips DataFast.
   * Only a shortcut (DataFast deduplicates on `transaction_id`), so the store failing costs a
   * request, never the event.
   */
  store: SharedStore;
  onError(error: Error, payment?: PaymentInput): void;
}

// Providers redeliver for up to three days (Stripe, Paddle): a week covers every redelivery.
const deliveredTtlMs = 7 * 24 * 60 * 60_000;

/** The store key of a delivered payment: its website (none: the default one) and its id. */
function deliveredKey(website: string | undefined, transactionId: string): string {
  return `delivered:${website ?? ''}:${transactionId}`;
}

/** A store call whose failure only costs the shortcut: `undefined` instead of an error. */
async function quietly<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch {
    return undefined;
  }
}

/**
 * The {@link Delivery} of one event. Payments go out in parallel; once all have settled, any
 * failure is a {@link DeliveryFailure}.
 *
 * @example
 * const delivery = createDelivery({ route, source: event, deadline, attemptTimeoutMs: 4000, store, onError })
 */
export function createDelivery(context: DeliveryContext): Delivery {
  const { deadline } = context;
  const requestOptions = () => ({
    signal: AbortSignal.timeout(deadline.remaining()),
    timeoutMs: Math.min(context.attemptTimeoutMs, deadline.remaining()),
  });

  async function send(
    { payment, origin }: AttributedPayment,
    how: 'create' | 'replace' | 'withdraw',
  ): Promise<void> {
    const { client, website } = await context.route({
      payment,
      source: context.source,
      ...(origin === undefined ? {} : { origin }),
    });
    const key = deliveredKey(website, payment.transaction_id);
    if (how === 'create' && (await quietly(() => context.store.get(key))) !== undefined) return;
    if (how !== 'create') {
      try {
        await client.payments.delete({ transaction_id: payment.transaction_id }, requestOptions());
      } catch (error) {
        // Nothing to replace yet (the first total of this object), or already withdrawn.
        if (!(error instanceof DatafastApiError && error.status === 404)) throw error;
      }
    }
    if (how === 'withdraw') {
      await quietly(() => context.store.delete(key));
      return;
    }
    await client.payments.create(payment, requestOptions());
    await quietly(() => context.store.set(key, '1', { ttlMs: deliveredTtlMs }));
  }

  async function all(
    payments: AttributedPayment[],
    how: 'create' | 'replace' | 'withdraw',
  ): Promise<string[]> {
    const results = await Promise.allSettled(payments.map((item) => send(item, how)));
    let failure: DeliveryFailure | undefined;
    results.forEach((result, index) => {
      if (result.status === 'fulfilled') return;
      failure ??= new DeliveryFailure(result.reason);
      const error =
        result.reason instanceof Error ? result.reason : new Error(String(result.reason));
      context.onError(error, payments[index]?.payment);
    });
    if (failure) throw failure;
    return payments.map(({ payment }) => payment.transaction_id);
  }

  return {
    create: (payments) => all(payments, 'create'),
    replace: (payments) => all(payments, 'replace'),
    withdraw: (payments) => all(payments, 'withdraw'),
  };
}
