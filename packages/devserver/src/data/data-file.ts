import { constants } from 'node:fs';
import { access, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { PaymentRecord } from '../api/payment-store.js';
import { DevServerDataError, jsonErrorPosition } from '../errors.js';
import type { StripeData } from '../stripe/index.js';
import type { PageviewRecord } from '../tracker/pageviews.js';
import { checkPageview, checkPayment, checkStripe, StoredDataProblem } from './stored-records.js';

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

/** What a data file holds. */
export interface StoredData {
  payments: PaymentRecord[];
  /** The stand-in tracker's pageviews: attribution needs each visitor's first one. */
  pageviews: PageviewRecord[];
  /** The Stripe stand-in's payment links (created at run time), objects and events. */
  stripe?: StripeData;
  /** The key of the generated website, so that it stays the same from one start to the next. */
  generatedApiKey?: string;
}

/** The parts of the data file, each written by the store that owns it. */
export interface DataSections {
  payments: PaymentRecord[];
  pageviews: PageviewRecord[];
  stripe: StripeData;
}

/**
 * The `--data` file: loaded once at start, then rewritten atomically after each change.
 * Concurrent saves coalesce: a save resolves once a write that began after it was asked for has
 * finished, so every caller knows its own change is on disk.
 */
export class DataFile {
  readonly path: string;
  /** Written with the data; kept as loaded unless the generated website's key changes it. */
  generatedApiKey: string | undefined;
  #dirty = false;
  #running: Promise<void> | undefined;
  readonly #sections: { [K in keyof DataSections]?: () => DataSections[K] } = {};

  constructor(path: string) {
    this.path = path;
  }

  /**
   * Reads the stored data. A missing file is empty; anything else that is not our format is a
   * `DevServerDataError`.
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
      return { payments: [], pageviews: [] };
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
    if (data.pageviews !== undefined && !Array.isArray(data.pageviews)) {
      corrupt(this.path, '"pageviews" is not an array');
    }
    const stored: StoredData = { payments: [], pageviews: [] };
    try {
      stored.payments = data.payments.map(checkPayment);
      stored.pageviews = ((data.pageviews as unknown[] | undefined) ?? []).map(checkPageview);
      if (data.stripe !== undefined) stored.stripe = checkStripe(data.stripe);
    } catch (error) {
      if (!(error instanceof StoredDataProblem)) throw error;
      corrupt(this.path, error.message);
    }
    const seen = new Set<string>();
    stored.payments.forEach((r, i) => {
      const key = `${r.website_id}\u0000${r.transaction_id}`;
      if (seen.has(key))
        corrupt(this.path, `payments[${i}] repeats transaction_id "${r.transaction_id}"`);
      seen.add(key);
    });
    const apiKey = data.generatedApiKey;
    if (apiKey !== undefined && (typeof apiKey !== 'string' || !/^df_\S+$/.test(apiKey))) {
      corrupt(this.path, '"generatedApiKey" is not a df_ key');
    }
    this.generatedApiKey = apiKey;
    if (apiKey !== undefined) stored.generatedApiKey = apiKey;
    return stored;
  }

  /** Tells the file where to read one section from when it writes. */
  source<K extends keyof DataSections>(section: K, snapshot: () => DataSections[K]): void {
    (this.#sections as Record<K, () => DataSections[K]>)[section] = snapshot;
  }

  /** Writes the current data; resolves when a write that includes it is on disk. */
  save(): Promise<void> {
    this.#dirty = true;
    this.#running ??= this.#drain();
    return this.#running;
  }

  /** Resolves when no write is pending. */
  async flush(): Promise<void> {
    while (this.#running) await this.#running.catch(() => {});
  }

  /** The file's JSON: empty optional sections are left out, so a small setup stays small. */
  #text(): string {
    const pageviews = this.#sections.pageviews?.() ?? [];
    const stripe = this.#sections.stripe?.();
    const stripeUsed =
      stripe &&
      (stripe.hold ||
        stripe.links.length > 0 ||
        stripe.objects.length > 0 ||
        stripe.events.length > 0);
    const data = {
      format: FORMAT,
      version: VERSION,
      ...(this.generatedApiKey !== undefined ? { generatedApiKey: this.generatedApiKey } : {}),
      payments: this.#sections.payments?.() ?? [],
      ...(pageviews.length > 0 ? { pageviews } : {}),
      ...(stripeUsed ? { stripe } : {}),
    };
    return `${JSON.stringify(data, null, 2)}\n`;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#dirty) {
        this.#dirty = false;
        await writeFileAtomic(this.path, this.#text());
      }
    } finally {
      this.#running = undefined;
    }
  }
}
