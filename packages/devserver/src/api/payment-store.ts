import type { DataSaver } from '../data/saver.js';
import type { ValidPayment } from './payload.js';

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

/**
 * A change to the stored payments, for the dashboard stream and `waitForPayment`. `restored`:
 * records that a failed write had removed are back in their places (not new payments).
 */
export type StoreEvent =
  | { type: 'payment'; record: PaymentRecord }
  | { type: 'deleted'; records: PaymentRecord[] }
  | { type: 'restored'; records: PaymentRecord[] }
  | { type: 'cleared' };

/** How many records of each kind are stored; kept up to date, never counted by a scan. */
export interface RecordCounts {
  /** Stored records of every kind. */
  payments: number;
  refunds: number;
  renewals: number;
  trials: number;
}

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
 * first. A change is confirmed only once it is in the data file: `add` and `delete` roll it back
 * when the write fails. Checks and changes are synchronous, so two concurrent posts of one id can
 * not both insert.
 */
export class PaymentStore {
  readonly #records = new Map<string, PaymentRecord>();
  /** Insertion order, so records that a failed delete puts back return to their places. */
  readonly #order = new WeakMap<PaymentRecord, number>();
  #inserted = 0;
  #counts: RecordCounts = { payments: 0, refunds: 0, renewals: 0, trials: 0 };
  /** Records whose first write is still running: settles once it is on disk or rolled back. */
  readonly #unsaved = new Map<string, Promise<unknown>>();
  readonly #listeners = new Set<(event: StoreEvent) => void>();
  readonly #file: DataSaver | undefined;

  constructor(file?: DataSaver, initial: PaymentRecord[] = []) {
    this.#file = file;
    for (const record of initial) this.#put(key(record.website_id, record.transaction_id), record);
  }

  /** Copies of every record, oldest first. */
  list(): PaymentRecord[] {
    return [...this.#records.values()].map((r) => ({ ...r }));
  }

  get size(): number {
    return this.#records.size;
  }

  counts(): RecordCounts {
    return { ...this.#counts };
  }

  /**
   * Stores a record unless its website already has that `transaction_id`, and resolves `true`
   * once it is written (`false` for a duplicate). When the write fails the record is removed
   * again and the write's error thrown. A duplicate of a record whose write is still running
   * waits for it: it must not be confirmed before the original is.
   */
  async add(record: PaymentRecord): Promise<boolean> {
    const k = key(record.website_id, record.transaction_id);
    for (let unsaved = this.#unsaved.get(k); unsaved; unsaved = this.#unsaved.get(k)) {
      await unsaved.catch(() => {});
    }
    if (this.#records.has(k)) return false;
    this.#put(k, record);
    this.#emit({ type: 'payment', record: { ...record } });
    const written = this.persist()
      .catch((error: unknown) => {
        if (this.#records.get(k) === record) this.#take([[k, record]]);
        throw error;
      })
      .finally(() => this.#unsaved.delete(k));
    this.#unsaved.set(k, written);
    await written;
    return true;
  }

  /**
   * Removes one website's records that match and resolves with them once the data file has the
   * change. When the write fails they are put back, in their places and without `payment`
   * events (nothing was paid again), and the write's error is thrown.
   */
  async delete(
    websiteId: string,
    match: (record: PaymentRecord) => boolean,
  ): Promise<PaymentRecord[]> {
    const removed: [string, PaymentRecord][] = [];
    for (const [k, record] of this.#records) {
      if (record.website_id === websiteId && match(record)) removed.push([k, record]);
    }
    if (removed.length === 0) return [];
    this.#take(removed);
    try {
      await this.persist();
    } catch (error) {
      this.#restore(removed);
      throw error;
    }
    return removed.map(([, record]) => record);
  }

  /** Removes every record. */
  clear(): void {
    this.#records.clear();
    this.#counts = { payments: 0, refunds: 0, renewals: 0, trials: 0 };
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

  #put(k: string, record: PaymentRecord): void {
    this.#records.set(k, record);
    if (!this.#order.has(record)) this.#order.set(record, this.#inserted++);
    this.#count(record, 1);
  }

  #take(entries: [string, PaymentRecord][]): void {
    for (const [k, record] of entries) {
      this.#records.delete(k);
      this.#count(record, -1);
    }
    this.#emit({ type: 'deleted', records: entries.map(([, r]) => ({ ...r })) });
  }

  #restore(entries: [string, PaymentRecord][]): void {
    // A payment posted again while the write failed keeps its id: the newer record stays.
    const back = entries.filter(([k]) => !this.#records.has(k));
    if (back.length === 0) return;
    const order = (record: PaymentRecord) => this.#order.get(record) ?? 0;
    const all = [...this.#records, ...back].sort(([, a], [, b]) => order(a) - order(b));
    this.#records.clear();
    for (const [k, record] of all) this.#records.set(k, record);
    for (const [, record] of back) this.#count(record, 1);
    this.#emit({ type: 'restored', records: back.map(([, r]) => ({ ...r })) });
  }

  #count(record: PaymentRecord, by: 1 | -1): void {
    const counts = this.#counts;
    counts.payments += by;
    if (record.refunded) counts.refunds += by;
    if (record.renewal) counts.renewals += by;
    if (record.is_free_trial) counts.trials += by;
  }

  #emit(event: StoreEvent): void {
    for (const listener of [...this.#listeners]) listener(event);
  }
}
