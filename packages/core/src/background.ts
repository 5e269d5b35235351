import { DeliveryScheduler, type FlushResult, type RoundOutcome, unref } from './deliveries.js';
import { DatafastApiError, DatafastError, DatafastNetworkError, describeId } from './errors.js';
import type { Outbox, OutboxEntry } from './outbox.js';
import { buildPaymentBody, type PaymentBody, type PaymentInput } from './payload.js';
import { isRetryableStatus } from './retry.js';
import { sendRequest, type TransportConfig } from './transport.js';
import type { Logger, TrackOptions, WaitUntil } from './types.js';

/** What background delivery needs from the client that owns it. */
export interface BackgroundContext {
  outbox: Outbox | undefined;
  maxQueueSize: number;
  concurrency: number;
  maxAgeMs: number;
  waitUntil: WaitUntil | undefined;
  transportConfig(): TransportConfig;
  report(error: unknown, payment: PaymentInput | undefined): void;
  warn(message: string): void;
  warnOnce(key: string, message: string): void;
  debug(message: () => string): void;
  logger: Logger;
}

const logPrefix = '[datafast-checkout]';
/** Default for `maxAgeMs` without an outbox: holds a 10-minute outage. */
export const memoryMaxAgeMs = 15 * 60_000;
/** Default for `maxAgeMs` with a durable outbox. */
export const outboxMaxAgeMs = 3 * 24 * 60 * 60_000;
const outboxSweepMs = 60_000;

/**
 * `track`'s half of the client: reports held in a bounded scheduler (and an optional durable
 * outbox) until DataFast confirms them, retried across outages, every loss reported.
 */
export function createBackground(ctx: BackgroundContext) {
  const { outbox, logger } = ctx;
  let outboxBacklog = false;
  let recovering: Promise<void> | undefined;

  const scheduler = new DeliveryScheduler(ctx.maxQueueSize, ctx.concurrency, {
    round: deliverOnce,
    delivered: (entry, attempts) => {
      forget(entry);
      ctx.debug(() => `payment ${describeId(entry.id)} delivered (attempt ${attempts})`);
      // Refill from the outbox once half the room is free: one page read per many deliveries.
      if (outboxBacklog && scheduler.pending <= ctx.maxQueueSize / 2) void recover();
    },
    gaveUp: (entry, payment, error) => {
      forget(entry);
      ctx.report(error, payment);
    },
    roundDelay,
    maxAgeMs: ctx.maxAgeMs,
    keepAlive: !outbox,
  });

  // Between rounds: from the longest backoff, doubling, to at most 5 minutes, half of it jitter.
  function roundDelay(rounds: number): number {
    const longest = ctx.transportConfig().retry.maxDelayMs;
    const ceiling = Math.min(300_000, Math.max(longest, 1) * 2 ** (rounds - 1));
    return Math.floor(ceiling / 2 + (Math.random() * ceiling) / 2);
  }

  async function deliverOnce(entry: OutboxEntry, signal: AbortSignal): Promise<RoundOutcome> {
    try {
      const config = ctx.transportConfig();
      const { attempts } = await sendRequest(config, 'POST', {}, entry.body, { signal });
      return { kind: 'delivered', attempts };
    } catch (error) {
      return { kind: isTransient(error) ? 'transient' : 'refused', error };
    }
  }

  function forget(entry: OutboxEntry): void {
    if (!outbox) return;
    settle(
      () => outbox.delete(entry.id),
      `could not delete payment ${describeId(entry.id)} from the outbox`,
    );
  }

  function settle(step: () => unknown, failure: string): void {
    const failed = (error: unknown) => logger.error(`${logPrefix} ${failure}: ${messageOf(error)}`);
    try {
      const result = step();
      if (result instanceof Promise) result.catch(failed);
    } catch (error) {
      failed(error);
    }
  }

  /** Stores (when there is an outbox) and schedules a validated report. */
  function enqueue(entry: OutboxEntry, payment: PaymentInput, options?: TrackOptions): void {
    if (scheduler.has(entry.id)) {
      ctx.debug(() => `payment ${describeId(entry.id)} is already pending: it is delivered once`);
      return;
    }
    const stored = store(entry);
    let started: Promise<void> | undefined;
    if (stored instanceof Promise) {
      // An asynchronous store: the report is durable once it resolves; delivery starts then.
      started = stored.then((kept) => {
        const first = scheduler.add(entry, payment);
        if (!first) refuse(entry, payment, kept);
        return first;
      });
    } else {
      started = scheduler.add(entry, payment);
      if (!started) {
        refuse(entry, payment, stored);
        return;
      }
    }
    handToWaitUntil(entry.id, started, options);
  }

  /** `true` once the outbox holds the entry, `false` without an outbox or when it failed. */
  function store(entry: OutboxEntry): boolean | Promise<boolean> {
    if (!outbox) return false;
    const failed = (error: unknown) => {
      logger.error(
        `${logPrefix} the outbox could not store payment ${describeId(entry.id)} (${messageOf(error)}): it is delivered from memory only`,
      );
      return false;
    };
    try {
      const result = outbox.put(entry);
      return result instanceof Promise ? result.then(() => true, failed) : true;
    } catch (error) {
      return failed(error);
    }
  }

  function refuse(entry: OutboxEntry, payment: PaymentInput, kept: boolean): void {
    if (kept) {
      // Memory is full, but the outbox has it: a sweep delivers it once there is room.
      outboxBacklog = true;
      ctx.debug(
        () => `payment ${describeId(entry.id)} waits in the outbox (${scheduler.pending} pending)`,
      );
      return;
    }
    ctx.report(
      new DatafastError(
        'queue_full',
        `background queue is full (${scheduler.pending} deliveries pending): payment ${describeId(entry.id)} was dropped`,
      ),
      payment,
    );
  }

  function handToWaitUntil(id: string, started: Promise<void>, options?: TrackOptions): void {
    const explicit = options?.waitUntil ?? ctx.waitUntil;
    const waitUntil = explicit ?? vercelWaitUntil();
    if (!waitUntil) return;
    try {
      waitUntil(started);
      ctx.debug(
        () =>
          `payment ${describeId(id)} handed to ${explicit ? 'the platform' : "Vercel's request context"}'s waitUntil`,
      );
    } catch (error) {
      // Outside a request scope some platforms throw; the scheduler still delivers.
      ctx.warn(
        `waitUntil refused the delivery (${messageOf(error)}); it continues in the background`,
      );
    }
  }

  /** Delivers what an earlier process (or this one, past the memory bound) left in the outbox. */
  function recover(): Promise<void> {
    recovering ??= (async () => {
      try {
        if (!outbox) return;
        try {
          ctx.transportConfig();
        } catch (error) {
          ctx.warnOnce(
            'outbox-config',
            `the outbox is kept, not delivered, until DataFast is configured: ${messageOf(error)}`,
          );
          return;
        }
        // A page at a time, what fits in memory: an outbox holding millions of reports after a
        // long outage is never read whole (nor held in memory whole).
        const page = ctx.maxQueueSize;
        outboxBacklog = false;
        const entries = [...(await outbox.list({ limit: page }))].sort(
          (a, b) => a.createdAt - b.createdAt,
        );
        if (entries.length >= page) outboxBacklog = true; // more may wait beyond this page
        for (const entry of entries) {
          if (scheduler.has(entry.id)) continue;
          if (scheduler.full) {
            outboxBacklog = true;
            break;
          }
          let body: PaymentBody;
          try {
            body = buildPaymentBody(entry.body, ctx.warn);
          } catch (error) {
            // A store that holds something we never wrote: report it rather than retry it forever.
            forget(entry);
            ctx.report(error, entry.body);
            continue;
          }
          const createdAt = Number.isFinite(entry.createdAt) ? entry.createdAt : Date.now();
          scheduler.add({ id: entry.id, body, createdAt }, entry.body);
        }
      } catch (error) {
        logger.error(`${logPrefix} could not read the outbox: ${messageOf(error)}`);
      } finally {
        recovering = undefined;
      }
    })();
    return recovering;
  }

  if (outbox) {
    unref(setTimeout(() => void recover(), 0));
    unref(setInterval(() => void recover(), outboxSweepMs));
  }

  async function shutdown(timeoutMs: number): Promise<FlushResult> {
    const flushed = await scheduler.flush(timeoutMs);
    if (flushed.settled) return flushed;
    const abandonedError = (entry: OutboxEntry) =>
      new DatafastError(
        'shutdown_timeout',
        `gave up on payment ${describeId(entry.id)} at shutdown: still pending after ${timeoutMs} ms, it may not have reached DataFast`,
      );
    const givenUp = await scheduler.abandon(abandonedError, (entry, payment) => {
      if (outbox)
        ctx.debug(() => `payment ${describeId(entry.id)} stays in the outbox for the next start`);
      else ctx.report(abandonedError(entry), payment);
    });
    return { settled: false, pending: givenUp };
  }

  return {
    enqueue,
    flush: (timeoutMs?: number) => scheduler.flush(timeoutMs),
    shutdown,
    /** Delivers what the outbox holds now (also runs at start-up and every minute). */
    recover,
    get pending() {
      return scheduler.pending;
    },
  };
}

/** Network failures, timeouts, 408, 429 and 5xx: DataFast may take it on a later round. */
function isTransient(error: unknown): boolean {
  if (error instanceof DatafastNetworkError) return true;
  return (
    error instanceof DatafastApiError &&
    error.code === 'api_error' &&
    isRetryableStatus(error.status)
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const vercelRequestContext = Symbol.for('@vercel/request-context');

/**
 * Vercel's per-request `waitUntil`, read from the request context its runtime installs (what
 * `@vercel/functions` reads too), so that a frozen function does not lose a report. No
 * dependency; `undefined` anywhere else.
 */
function vercelWaitUntil(): WaitUntil | undefined {
  try {
    const holder = (globalThis as Record<symbol, { get?: () => unknown } | undefined>)[
      vercelRequestContext
    ];
    const context = holder?.get?.() as { waitUntil?: unknown } | undefined;
    const waitUntil = context?.waitUntil;
    return typeof waitUntil === 'function'
      ? (promise) => (waitUntil as WaitUntil).call(context, promise)
      : undefined;
  } catch {
    return undefined;
  }
}
