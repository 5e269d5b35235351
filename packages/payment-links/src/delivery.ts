import { DatafastApiError, type PaymentInput } from '@datafast-checkout/core';
import type { BoundedMap } from './memory.js';
import type { AttributedPayment } from './reports.js';
import type { Deadline } from './webhook.js';
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
  /** Ids (per website) this handler delivered: a redelivery skips DataFast. Only a shortcut. */
  delivered: BoundedMap<string, true>;
  onError(error: Error, payment?: PaymentInput): void;
}

/**
 * The {@link Delivery} of one event. Payments go out in parallel; once all have settled, any
 * failure is a {@link DeliveryFailure}.
 *
 * @example
 * const delivery = createDelivery({ route, source: event, deadline, attemptTimeoutMs: 4000, delivered, onError })
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
    const key = `${website ?? ''}\n${payment.transaction_id}`;
    if (how === 'create' && context.delivered.has(key)) return;
    if (how !== 'create') {
      try {
        await client.payments.delete({ transaction_id: payment.transaction_id }, requestOptions());
      } catch (error) {
        // Nothing to replace yet (the first total of this object), or already withdrawn.
        if (!(error instanceof DatafastApiError && error.status === 404)) throw error;
      }
    }
    if (how === 'withdraw') {
      context.delivered.delete(key);
      return;
    }
    await client.payments.create(payment, requestOptions());
    context.delivered.set(key, true);
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
