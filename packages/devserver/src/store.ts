import type { ValidPayment } from './payload.js';
import type { DataFile } from './persistence.js';

/**
 * A payment as the devserver stored it. Field names are the API's own.
 *
 * @example
 * const record: PaymentRecord = (await dev.waitForPayment('txn_1'));
 */
export interface PaymentRecord extends ValidPayment {
  website_id: string;
  /** When the devserver received it (ISO 8601, UTC). */
  received_at: string;
}

/** A change to the stored payments, for the dashboard stream and `waitForPayment`. */
export type StoreEvent =
  | { type: 'payment'; record: PaymentRecord }
  | { type: 'deleted'; records: PaymentRecord[] }
  | { type: 'cleared' };

function key(websiteId: string, transactionId: string): string {
  return `${websiteId}\u0000${transactionId}`;
}

/** Builds a record with the documented key order, so JSON output reads the same everywhere. */
export function toRecord(
  websiteId: string,
  payment: ValidPayment,
  receivedAt: Date,
): PaymentRecord {
  const record: PaymentRecord = {
    website_id: websiteId,
    transaction_id: payment.transaction_id,
    amount: payment.amount,
    currency: payment.currency,
  } as PaymentRecord;
  if (payment.datafast_visitor_id !== undefined) {
    record.datafast_visitor_id = payment.datafast_visitor_id;
  }
  if (payment.email !== undefined) record.email = payment.email;
  if (payment.name !== undefined) record.name = payment.name;
  if (payment.customer_id !== undefined) record.customer_id = payment.customer_id;
  record.renewal = payment.renewal;
  record.refunded = payment.refunded;
  record.is_free_trial = payment.is_free_trial;
  record.timestamp = payment.timestamp;
  record.received_at = receivedAt.toISOString();
  return record;
}

/**
 * The payments, keyed by website and `transaction_id` (duplicates are per website), oldest
 * first. Every change is synchronous, so two concurrent posts of one id can not both insert.
 */
export class PaymentStore {
  readonly #records = new Map<string, PaymentRecord>();
  readonly #listeners = new Set<(event: StoreEvent) => void>();
  readonly #file: DataFile | undefined;

  constructor(file?: DataFile, initial: PaymentRecord[] = []) {
    this.#file = file;
    for (const record of initial)
      this.#records.set(key(record.website_id, record.transaction_id), record);
    file?.source(() => [...this.#records.values()]);
  }

  /** Copies of every record, oldest first. */
  list(): PaymentRecord[] {
    return [...this.#records.values()].map((r) => ({ ...r }));
  }

  /** The records themselves, oldest first, for read-only scans that should not copy. */
  values(): IterableIterator<Readonly<PaymentRecord>> {
    return this.#records.values();
  }

  get size(): number {
    return this.#records.size;
  }

  /** Stores a record unless its website already has that `transaction_id`. */
  insert(record: PaymentRecord): boolean {
    const k = key(record.website_id, record.transaction_id);
    if (this.#records.has(k)) return false;
    this.#records.set(k, record);
    this.#emit({ type: 'payment', record: { ...record } });
    return true;
  }

  /** Removes one website's records that match; returns what it removed. */
  remove(websiteId: string, match: (record: PaymentRecord) => boolean): PaymentRecord[] {
    const removed: PaymentRecord[] = [];
    for (const [k, record] of this.#records) {
      if (record.website_id === websiteId && match(record)) {
        this.#records.delete(k);
        removed.push(record);
      }
    }
    if (removed.length > 0)
      this.#emit({ type: 'deleted', records: removed.map((r) => ({ ...r })) });
    return removed;
  }

  /** Puts back records that a failed write removed. */
  restore(records: PaymentRecord[]): void {
    for (const record of records) this.insert(record);
  }

  /** Removes every record. */
  clear(): void {
    this.#records.clear();
    this.#emit({ type: 'cleared' });
  }

  /** Writes to the data file when there is one; resolves when the change is on disk. */
  persist(): Promise<void> {
    return this.#file ? this.#file.save() : Promise.resolve();
  }

  /** Resolves when nothing is waiting to be written. */
  flush(): Promise<void> {
    return this.#file ? this.#file.flush() : Promise.resolve();
  }

  /** Subscribes to changes; returns the unsubscribe function. */
  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(event: StoreEvent): void {
    for (const listener of [...this.#listeners]) listener(event);
  }
}
