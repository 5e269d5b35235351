import {
  DatafastApiError,
  type DatafastClientOrOptions,
  type PaymentInput,
  resolveDatafast,
} from '@datafast-checkout/core';
import {
  type AttributedPayment,
  createDeadline,
  type Delivery,
} from '@datafast-checkout/payment-links/backfill';
import { BackfillConfigError, messageOf } from './errors.js';
import { limiter } from './limit.js';
import type { PageRetry } from './pages.js';
import { providerSource } from './providers/index.js';
import type { ListedEvent, ListedPage, ProviderName, TimeRange } from './source.js';
import { type BackfillState, clearState, defaultStatePath, loadState, saveState } from './state.js';
import {
  type BackfillSummary,
  countPayment,
  emptySummary,
  type FoundPayment,
  skipReasonOf,
} from './summary.js';

/** Options of {@link backfill}. */
export interface BackfillOptions {
  provider: ProviderName;
  /** The first moment to backfill (included): a `Date` or anything `new Date()` reads. */
  since: Date | string;
  /** The end of the range (excluded). Default: now. */
  until?: Date | string | undefined;
  /** The provider's API key. Default: its usual variable (`STRIPE_SECRET_KEY`, ...). */
  apiKey?: string | undefined;
  /** Another API host (a local stand-in). Default: its variable (`STRIPE_API_BASE`, ...). */
  apiBase?: string | undefined;
  /** A DataFast client or `createDatafast` options. Default: `DATAFAST_API_KEY` / `DATAFAST_BASE_URL`. */
  datafast?: DatafastClientOrOptions | undefined;
  /** List and map only: nothing is sent, no state is written. */
  dryRun?: boolean | undefined;
  /** Send only payments with a visitor; the others are counted as skipped (`no visitor`). */
  attributedOnly?: boolean | undefined;
  /** Provider events mapped and reported at once. Default 8. */
  concurrency?: number | undefined;
  /**
   * The state file that makes an interrupted run resumable. Default
   * `.datafast-backfill-<provider>.json` in the current directory; `false` for none.
   */
  state?: string | false | undefined;
  /** Retries of the provider's list calls (429 after `Retry-After`, 5xx with backoff). */
  retry?: PageRetry | undefined;
  /** Objects per list page. Default: the provider's largest (Stripe 100). */
  pageSize?: number | undefined;
  /** Time for one event's lookups and report, in ms. Default 30 000. */
  eventTimeoutMs?: number | undefined;
  /** Called after each payment, with the summary so far. */
  onProgress?: ((summary: Readonly<BackfillSummary>) => void) | undefined;
  /** Called after each page (once its payments are reported), with the summary so far. */
  onPage?: ((summary: Readonly<BackfillSummary>) => void) | undefined;
  /** Called with each payment found (the dry run's table). */
  onPayment?: ((found: FoundPayment) => void) | undefined;
  /** Stops after the pages in flight (Ctrl-C); the state keeps what finished. */
  signal?: AbortSignal | undefined;
}

/**
 * Reports a provider's past payments, renewals and refunds to DataFast, each mapped by that
 * provider's webhook code (same `transaction_id`, amount, visitor), so it is safe to run any
 * number of times and beside the live webhook. Resolves the summary; `failed > 0` or
 * `complete: false` means run it again (it resumes from the state file).
 *
 * @example
 * const summary = await backfill({ provider: 'stripe', since: '2026-01-01' })
 */
export async function backfill(options: BackfillOptions): Promise<BackfillSummary> {
  const started = Date.now();
  const source = providerSource(options.provider);
  const range = rangeOf(options.since, options.until);
  const apiKey = options.apiKey ?? readEnv(source.keyEnv);
  if (!apiKey) {
    throw new BackfillConfigError(
      `${source.label} backfill needs an API key: set ${source.keyEnv} (or pass { apiKey })`,
    );
  }
  const apiBase = options.apiBase ?? readEnv(source.baseEnv);
  const dryRun = options.dryRun === true;
  if (!dryRun && options.datafast === undefined && !readEnv('DATAFAST_API_KEY')) {
    throw new BackfillConfigError(
      'backfill needs a DataFast API key to send payments: set DATAFAST_API_KEY (or use --dry-run)',
    );
  }
  const client = dryRun ? undefined : resolveDatafast(options.datafast);
  const summary = emptySummary({
    provider: source.name,
    since: range.since.toISOString(),
    until: range.until.toISOString(),
    dryRun,
  });
  const statePath =
    dryRun || options.state === false
      ? undefined
      : (options.state ?? defaultStatePath(source.name));
  const saved = statePath ? await loadState(statePath, source.name, range) : undefined;
  summary.resumed = saved !== undefined;
  const state: BackfillState = saved ?? {
    version: 1,
    provider: source.name,
    since: summary.since,
    until: summary.until,
    listings: {},
  };
  const warnings = new Set<string>();
  const eventPayments = source.payments(apiKey, apiBase, (error) => warnings.add(error.message));
  const limit = limiter(Math.max(1, options.concurrency ?? 8));
  const eventTimeoutMs = options.eventTimeoutMs ?? 30_000;
  // Transaction ids this run handled: a subscription's first invoice is both a Checkout Session
  // and an invoice of Stripe's, one payment under one id.
  const seen = new Set<string>();
  const progress = () => options.onProgress?.(summary);

  async function send(
    { payment }: AttributedPayment,
    how: 'create' | 'replace' | 'withdraw',
  ): Promise<boolean> {
    const id = payment.transaction_id;
    if (how === 'withdraw') {
      if (!client) return true;
      return remove(id).then(
        () => true,
        (error: unknown) => fail(payment, error),
      );
    }
    if (seen.has(id)) return true;
    seen.add(id);
    if (options.attributedOnly && !payment.datafast_visitor_id) {
      return record({ payment, status: 'skipped', reason: 'no visitor' });
    }
    if (!client) return record({ payment, status: 'listed' });
    try {
      if (how === 'replace') await remove(id);
      const answer = await client.payments.create(payment);
      // DataFast answers a re-posted id 2xx with a message that says so (its wording is not
      // specified: both `duplicate` and `already` are read).
      const duplicate = /duplicate|already/i.test(answer.message ?? '');
      return record({ payment, status: duplicate ? 'duplicate' : 'reported' });
    } catch (error) {
      return fail(payment, error);
    }
  }

  async function remove(transactionId: string): Promise<void> {
    try {
      await client?.payments.delete({ transaction_id: transactionId });
    } catch (error) {
      if (!(error instanceof DatafastApiError && error.status === 404)) throw error;
    }
  }

  function fail(payment: PaymentInput, error: unknown): boolean {
    record({ payment, status: 'failed', reason: messageOf(error) });
    return false;
  }

  function record(found: FoundPayment): boolean {
    countPayment(summary, found);
    options.onPayment?.(found);
    progress();
    return found.status !== 'failed';
  }

  /** Maps and reports one listed object; false when anything of it failed. */
  async function handle(listed: ListedEvent): Promise<boolean> {
    if (listed.skip) {
      summary.skipped[listed.skip] += 1;
      return true;
    }
    let ok = true;
    const all = async (payments: AttributedPayment[], how: 'create' | 'replace' | 'withdraw') => {
      const results = await Promise.all(payments.map((payment) => send(payment, how)));
      if (results.includes(false)) ok = false;
      return payments.map(({ payment }) => payment.transaction_id);
    };
    const delivery: Delivery = {
      create: (payments) => all(payments, 'create'),
      replace: (payments) => all(payments, 'replace'),
      withdraw: (payments) => all(payments, 'withdraw'),
    };
    try {
      const outcome = await eventPayments(
        listed.event as never,
        createDeadline(eventTimeoutMs),
        delivery,
      );
      if ('ignored' in outcome) {
        const reason = skipReasonOf(outcome.ignored);
        summary.skipped[reason] += 1;
        if (!summary.skippedReasons.includes(outcome.ignored)) {
          summary.skippedReasons.push(outcome.ignored);
        }
        return true;
      }
      if ('payments' in outcome) {
        await delivery.create(outcome.payments);
        if (outcome.withdraw?.length) await delivery.withdraw(outcome.withdraw);
      }
      return ok;
    } catch (error) {
      summary.failed += 1;
      summary.failures.push(`${listed.id}: ${messageOf(error)}`);
      return false;
    }
  }

  let interrupted = false;
  listings: for (const listing of source.listings(source.api(apiKey, apiBase))) {
    const savedListing = state.listings[listing.name] ?? {};
    if (savedListing.done) continue;
    const cursor = savedListing.cursor;
    // The saved cursor moves on only past pages whose every payment was reported.
    let clean = true;
    const read = (at: string | undefined) => {
      const page = listing.page(at, range, {
        retry: options.retry ?? {},
        pageSize: options.pageSize,
      });
      // Awaited below; a page read ahead and then not needed (Ctrl-C) must not go unhandled.
      page.catch(() => {});
      return page;
    };
    let reading = read(cursor);
    for (;;) {
      if (options.signal?.aborted) {
        interrupted = true;
        break listings;
      }
      let page: ListedPage;
      try {
        page = await reading;
      } catch (error) {
        summary.failed += 1;
        summary.failures.push(`listing ${source.label} ${listing.name}: ${messageOf(error)}`);
        interrupted = true;
        break listings;
      }
      // The next page is read while this one is reported: listing and reporting overlap.
      if (page.next) reading = read(page.next);
      summary.pages += 1;
      summary.listed += page.events.length;
      const results = await Promise.all(page.events.map((event) => limit(() => handle(event))));
      if (clean && !results.includes(false)) {
        state.listings[listing.name] = page.next ? { cursor: page.next } : { done: true };
        if (statePath) await saveState(statePath, state);
      } else {
        clean = false;
      }
      options.onPage?.(summary);
      if (!page.next) break;
    }
  }
  summary.complete = !interrupted;
  summary.warnings.push(...warnings);
  if (statePath) {
    if (summary.complete && summary.failed === 0) await clearState(statePath);
    else await saveState(statePath, state);
  }
  if (client) await client.flush?.();
  summary.durationMs = Date.now() - started;
  return summary;
}

/** The range of `since` and `until` (default now), refusing an unreadable or empty one. */
export function rangeOf(since: Date | string, until?: Date | string): TimeRange {
  const start = dateOf(since, 'since');
  const end = until === undefined ? new Date() : dateOf(until, 'until');
  if (end.getTime() <= start.getTime()) {
    throw new BackfillConfigError(
      `--until (${end.toISOString()}) must be after --since (${start.toISOString()})`,
    );
  }
  return { since: start, until: end };
}

function dateOf(value: Date | string, name: string): Date {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new BackfillConfigError(
      `--${name} is not a date: ${String(value)} (use 2026-01-31 or an ISO 8601 time)`,
    );
  }
  return date;
}

function readEnv(name: string): string | undefined {
  const value = process.env[name]?.trim();
  return value ? value : undefined;
}
