import type { Background, BackgroundContext } from './background.js';
import type { DrainOptions, DrainResult } from './drain-options.js';
import { DatafastError, describeId, messageOf, queueFullError } from './errors.js';
import { isSharedOutbox, type Outbox, type OutboxEntry, putInOutbox } from './outbox.js';
import type { PaymentInput } from './payload.js';
import type { FlushResult } from './settling.js';
import { handToWaitUntil, type WaitUntil } from './wait-until.js';

/** A report tracked before the delivery engine has loaded. */
interface Waiting {
  entry: OutboxEntry;
  payment: PaymentInput;
  /** The plain outbox's `put`, already run; `undefined` when the engine stores it (shared). */
  stored: boolean | Promise<boolean> | undefined;
  /** Settles the promise already handed to `waitUntil` with the engine's first round. */
  handOff: (firstRound?: Promise<unknown>) => void;
}

/**
 * Background delivery as `track` sees it, while the delivery engine (background.ts with the
 * scheduler, the transport and the retry policy) is loaded with `import()` at the first report,
 * so that an app pays for it only once it reports. Until it has loaded, this keeps every promise
 * `track` makes: a plain outbox's `put` runs before `track` returns, `pending` counts the
 * report, a full queue reaches `onError` as `queue_full` at once, the platform's `waitUntil`
 * gets the report's first round, and `flush`, `shutdown` and `drain` wait for the engine. Should
 * it fail to load, each report waiting for it reaches `onError` with its payment. Once loaded,
 * every call goes straight to the engine.
 */
export function createBackgroundFront(ctx: BackgroundContext): Background {
  const { outbox, log } = ctx;
  const plainOutbox = outbox && !isSharedOutbox(outbox) ? (outbox as Outbox) : undefined;
  let engine: Background | undefined;
  let loading: Promise<Background | undefined> | undefined;
  let loadError: unknown;
  const waiting = new Map<string, Waiting>();

  /** The engine, loaded once; `undefined` (reports handed to `onError`) when it failed to load. */
  function load(): Promise<Background | undefined> {
    loading ??= import('./background.js')
      .then((loaded) => loaded.createBackground(ctx))
      .then(
        (made) => {
          engine = made;
          const handed = [...waiting.values()];
          waiting.clear();
          for (const { entry, payment, stored, handOff } of handed) {
            try {
              made.enqueue(entry, payment, handOff, stored);
            } catch (error) {
              ctx.report(error, payment); // not expected: the engine reports its own refusals
            }
            handOff(); // settles it if the engine handed waitUntil nothing (refused); else a no-op
          }
          return made;
        },
        (error: unknown) => {
          // The next report tries again; these ones are reported, never dropped in silence.
          loading = undefined;
          loadError = error;
          const lost = [...waiting.values()];
          waiting.clear();
          if (lost.length === 0) log.error(`could not load the delivery code: ${messageOf(error)}`);
          for (const { entry, payment, handOff } of lost) {
            handOff();
            ctx.report(
              new DatafastError(
                'unexpected_error',
                `payment ${describeId(entry.id)} was not sent: the code that delivers it could not be loaded (${messageOf(error)})`,
                { cause: error },
              ),
              payment,
            );
          }
          return undefined;
        },
      );
    return loading;
  }

  // An outbox is swept from the start: its reports from an earlier process are delivered.
  if (outbox) void load();

  function enqueue(entry: OutboxEntry, payment: PaymentInput, waitUntil?: WaitUntil): void {
    if (engine) {
      engine.enqueue(entry, payment, waitUntil);
      return;
    }
    if (waiting.has(entry.id)) {
      log.debug(() => `payment ${describeId(entry.id)} is already pending: it is delivered once`);
      return;
    }
    const stored = plainOutbox ? putInOutbox(plainOutbox, entry, log) : undefined;
    // Beyond the bound, as the engine does: a report the outbox holds waits there (the engine's
    // start-up sweep takes it), one that nothing holds is lost, and said so now. One whose store
    // has not settled yet is in hand until it has.
    if (waiting.size >= ctx.config().maxQueueSize) {
      if (stored === true) {
        log.debug(
          () => `payment ${describeId(entry.id)} waits in the outbox (${waiting.size} pending)`,
        );
        return;
      }
      if (stored === false || !outbox) {
        ctx.report(queueFullError(entry.id, waiting.size), payment);
        return;
      }
    }
    let handOff: Waiting['handOff'] = () => {};
    const firstRound = new Promise<void>((resolve) => {
      handOff = (round) => resolve(round as Promise<void> | undefined);
    });
    // Now, in the request's scope: Vercel's request context is only found here.
    handToWaitUntil(entry.id, firstRound, waitUntil ?? ctx.waitUntil, log);
    waiting.set(entry.id, { entry, payment, stored, handOff });
    void load();
  }

  /** After the engine has loaded: `use` with what is left of `timeoutMs`. */
  async function loaded<T>(
    timeoutMs: number | undefined,
    use: (engine: Background, timeoutMs: number | undefined) => Promise<T>,
    failed: () => T,
  ): Promise<T> {
    const startedAt = Date.now();
    const made = await load();
    if (!made) return failed();
    const left =
      timeoutMs === undefined ? undefined : Math.max(0, timeoutMs - (Date.now() - startedAt));
    return use(made, left);
  }

  // Failed to load: the reports it held are with `onError` already, none is left in hand.
  const nothingLeft = (): FlushResult => ({ settled: true, pending: 0 });

  return {
    enqueue,
    flush: (timeoutMs?: number): Promise<FlushResult> => {
      if (engine) return engine.flush(timeoutMs);
      if (waiting.size === 0) return Promise.resolve(nothingLeft());
      return loaded(timeoutMs, (made, left) => made.flush(left), nothingLeft);
    },
    // Loads the engine even when nothing was tracked: a report tracked after shutdown is refused.
    shutdown: (timeoutMs: number): Promise<FlushResult> =>
      engine
        ? engine.shutdown(timeoutMs)
        : loaded(timeoutMs, (made, left) => made.shutdown(left ?? 0), nothingLeft),
    drain: (options?: DrainOptions): Promise<DrainResult> =>
      engine
        ? engine.drain(options)
        : loaded(
            undefined,
            (made) => made.drain(options),
            () => {
              throw loadError;
            },
          ),
    get pending() {
      return engine ? engine.pending : waiting.size;
    },
  };
}
