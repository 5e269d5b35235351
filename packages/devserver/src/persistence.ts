import { constants } from 'node:fs';
import { access, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parseIsoDate } from './dates.js';
import { DevServerDataError, jsonErrorPosition } from './errors.js';
import { isUuid } from './payload.js';
import type { PaymentRecord } from './store.js';

const FORMAT = 'datafast-devserver';
const VERSION = 1;

let tmpCounter = 0;

/**
 * Writes `text` to `path` so that a reader (or a crash) sees the old file or the new one, never
 * half of one: write a temporary file beside it, flush it to disk, then rename over the target.
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  tmpCounter += 1;
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${tmpCounter}.tmp`);
  try {
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (error) {
    await unlink(tmp).catch(() => {});
    throw error;
  }
}

function corrupt(path: string, reason: string): never {
  throw new DevServerDataError(
    `The data file ${path} is corrupt: ${reason}. The devserver does not reset it silently; ` +
      'fix it, move it away or delete it, then start again.',
  );
}

function checkRecord(path: string, raw: unknown, i: number): PaymentRecord {
  const where = `payments[${i}]`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    corrupt(path, `${where} is not an object`);
  }
  const r = raw as Record<string, unknown>;
  for (const field of ['website_id', 'transaction_id', 'currency', 'timestamp', 'received_at']) {
    if (typeof r[field] !== 'string' || r[field] === '') {
      corrupt(path, `${where}.${field} is not a non-empty string`);
    }
  }
  if (typeof r.amount !== 'number' || !Number.isFinite(r.amount) || r.amount < 0) {
    corrupt(path, `${where}.amount is not a number >= 0`);
  }
  for (const field of ['renewal', 'refunded', 'is_free_trial']) {
    if (typeof r[field] !== 'boolean') corrupt(path, `${where}.${field} is not a boolean`);
  }
  for (const field of ['timestamp', 'received_at']) {
    if (!parseIsoDate(r[field] as string)) corrupt(path, `${where}.${field} is not an ISO date`);
  }
  for (const field of ['email', 'name', 'customer_id', 'datafast_visitor_id']) {
    if (r[field] !== undefined && typeof r[field] !== 'string') {
      corrupt(path, `${where}.${field} is not a string`);
    }
  }
  if (r.datafast_visitor_id !== undefined && !isUuid(r.datafast_visitor_id as string)) {
    corrupt(path, `${where}.datafast_visitor_id is not a UUID`);
  }
  const record: PaymentRecord = {
    website_id: r.website_id as string,
    transaction_id: r.transaction_id as string,
    amount: r.amount as number,
    currency: r.currency as string,
    renewal: r.renewal as boolean,
    refunded: r.refunded as boolean,
    is_free_trial: r.is_free_trial as boolean,
    timestamp: r.timestamp as string,
    received_at: r.received_at as string,
  };
  for (const field of ['datafast_visitor_id', 'email', 'name', 'customer_id'] as const) {
    if (typeof r[field] === 'string') record[field] = r[field] as string;
  }
  return record;
}

/** What a data file holds. */
export interface StoredData {
  payments: PaymentRecord[];
  /** The key of the generated website, so that it stays the same from one start to the next. */
  generatedApiKey?: string;
}

/**
 * The `--data` file: loaded once at start, then rewritten atomically after each change.
 * Concurrent saves coalesce: a save resolves once a write that began after it was asked for has
 * finished, so every caller knows its own change is on disk.
 */
export class DataFile {
  readonly path: string;
  /** Written with the payments; kept as loaded unless the generated website's key changes it. */
  generatedApiKey: string | undefined;
  #dirty = false;
  #running: Promise<void> | undefined;
  #snapshot: () => PaymentRecord[] = () => [];

  constructor(path: string) {
    this.path = path;
  }

  /**
   * Reads the stored payments. A missing file is an empty store; anything else that is not our
   * format is a `DevServerDataError`.
   */
  async load(): Promise<StoredData> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') {
        throw new DevServerDataError(`Could not read the data file ${this.path}: ${code}`);
      }
      await access(dirname(this.path), constants.W_OK).catch((e: NodeJS.ErrnoException) => {
        throw new DevServerDataError(
          `The data file's folder ${dirname(this.path)} is not writable: ${e.code}`,
        );
      });
      return { payments: [] };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      corrupt(this.path, `it is not valid JSON${jsonErrorPosition(error)}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      corrupt(this.path, 'it is not a JSON object');
    }
    const data = parsed as Record<string, unknown>;
    if (data.format !== FORMAT) corrupt(this.path, `"format" is not "${FORMAT}"`);
    if (data.version !== VERSION)
      corrupt(this.path, `"version" ${String(data.version)} is unknown`);
    if (!Array.isArray(data.payments)) corrupt(this.path, '"payments" is not an array');
    const records = data.payments.map((raw, i) => checkRecord(this.path, raw, i));
    const seen = new Set<string>();
    records.forEach((r, i) => {
      const key = `${r.website_id}\u0000${r.transaction_id}`;
      if (seen.has(key))
        corrupt(this.path, `payments[${i}] repeats transaction_id "${r.transaction_id}"`);
      seen.add(key);
    });
    const stored = data.generatedApiKey;
    if (stored !== undefined && (typeof stored !== 'string' || !/^df_\S+$/.test(stored))) {
      corrupt(this.path, '"generatedApiKey" is not a df_ key');
    }
    this.generatedApiKey = stored;
    return { payments: records, ...(stored !== undefined ? { generatedApiKey: stored } : {}) };
  }

  /** Tells the file where to read the current payments from when it writes. */
  source(snapshot: () => PaymentRecord[]): void {
    this.#snapshot = snapshot;
  }

  /** Writes the current payments; resolves when a write that includes them is on disk. */
  save(): Promise<void> {
    this.#dirty = true;
    this.#running ??= this.#drain();
    return this.#running;
  }

  /** Resolves when no write is pending. */
  async flush(): Promise<void> {
    while (this.#running) await this.#running.catch(() => {});
  }

  async #drain(): Promise<void> {
    try {
      while (this.#dirty) {
        this.#dirty = false;
        const data = {
          format: FORMAT,
          version: VERSION,
          ...(this.generatedApiKey !== undefined ? { generatedApiKey: this.generatedApiKey } : {}),
          payments: this.#snapshot(),
        };
        const text = `${JSON.stringify(data, null, 2)}\n`;
        await writeFileAtomic(this.path, text);
      }
    } finally {
      this.#running = undefined;
    }
  }
}
