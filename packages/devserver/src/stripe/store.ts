import type { StripeObject } from './objects.js';

/**
 * Every Stripe object the stand-in knows, by id, in the order they were stored: what the `/v1`
 * API answers (sessions, invoices, PaymentIntents, refunds…). Objects are kept as given, so a
 * test can store any shape an API version sends.
 *
 * @example
 * store.put(session); store.list('checkout.session', (s) => s.payment_intent === 'pi_1')
 */
export class StripeStore {
  readonly #objects = new Map<string, StripeObject>();

  /** Stores (or replaces, keeping its place) an object by its `id`. */
  put(object: StripeObject): void {
    this.#objects.set(object.id, object);
  }

  get(id: string): StripeObject | undefined {
    return this.#objects.get(id);
  }

  /** Objects of one type (`object: 'invoice'`), newest first as Stripe lists them. */
  list(type: string, match: (object: StripeObject) => boolean = () => true): StripeObject[] {
    return [...this.#objects.values()].filter((o) => o.object === type && match(o)).reverse();
  }

  /** Every object, oldest first (for the data file). */
  all(): StripeObject[] {
    return [...this.#objects.values()];
  }

  clear(): void {
    this.#objects.clear();
  }
}

/** The id of an expandable field: a string, or an expanded object's `id`. */
export function idOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) {
    const id = (value as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  }
  return undefined;
}
