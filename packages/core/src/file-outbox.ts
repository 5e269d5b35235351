/// <reference types="node" />
// The built-in durable outbox for Node. A separate entry point
// (`@datafast-checkout/core/file-outbox`), so the main entry stays free of `node:` imports.
//
// An `Outbox` over a log of append-only files (file-outbox/log.ts, whose lines segment.ts writes
// and reads) in one directory, held by one process at a time (file-outbox/lease.ts).
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { acquireLease, renewEveryMs } from './file-outbox/lease.js';
import { OutboxLog } from './file-outbox/log.js';
import type { Outbox, OutboxEntry, OutboxListOptions } from './outbox.js';

/** Options of {@link fileOutbox}. */
export interface FileOutboxOptions {
  /**
   * Reclaim space once the dead lines (delivered entries) in the log's older files outnumber both
   * this and the live entries there, by copying those live entries to the newest file, so the
   * copying is paid for by as many deliveries. Default 1 000. A file whose entries were all
   * delivered is deleted at once, whatever this says; the newest file starts anew every 1 MiB.
   */
  compactAfter?: number;
  /**
   * When stored reports reach the disk itself. `'batch'` (the default): `put` writes the report
   * to the file before it returns, so a crash, a `kill -9` or an OOM kill of the process loses
   * none, and one `fsync` per event-loop turn, off the event loop, covers every report written
   * in it (a power loss or a kernel crash can lose the reports of that last turn). `'each'`: `put`
   * also `fsync`s before it returns, so even a power loss loses nothing, at a few milliseconds per
   * report on most disks, spent in `track`.
   */
  sync?: 'batch' | 'each';
}

/** A {@link fileOutbox}: an `Outbox` plus where it lives and how to let go of it. */
export interface FileOutbox extends Outbox {
  /**
   * Synchronous: the entry is in the file when it returns (and on the disk, with
   * `sync: 'each'`). Throws when it is not (a full disk, an I/O error, a closed outbox).
   */
  put(entry: OutboxEntry): void;
  delete(id: string): void;
  /** Stored entries, oldest first; with `limit`, the first `limit` stored. */
  list(options?: OutboxListOptions): OutboxEntry[];
  /** The outbox's directory. */
  readonly directory: string;
  /**
   * The log file being appended to.
   * @deprecated The log is several files in {@link FileOutbox.directory}
   * (`outbox.<n>.jsonl`); this names the newest.
   */
  readonly file: string;
  /** Entries stored and not yet delivered. */
  readonly size: number;
  /** Closes the log and releases the directory's lock (also done when the process exits). */
  close(): void;
}

// Directories opened by this process: a second fileOutbox on one is a mistake, not a stale lock.
const openHere = new Set<string>();

/**
 * A durable outbox in a directory: append-only files, written before `put` returns and
 * `fsync`ed once per event-loop turn (or after every report, `sync: 'each'`), whose space is
 * reclaimed as deliveries remove entries. One process per directory, enforced by a lock that a
 * crashed owner never keeps (see `file-outbox/lease.ts`). Created 700, its files 600: they hold
 * customers' emails and names. A crash in the middle of a write loses at most that one torn entry.
 *
 * @example
 * import { fileOutbox } from '@datafast-checkout/core/file-outbox'
 * const datafast = createDatafast({ outbox: fileOutbox(process.env.DATAFAST_OUTBOX_DIR ?? '.datafast-outbox') })
 */
export function fileOutbox(directory: string, options: FileOutboxOptions = {}): FileOutbox {
  const dir = resolve(directory);
  const compactAfter = options.compactAfter ?? 1_000;
  const syncEach = options.sync === 'each';
  if (options.sync !== undefined && options.sync !== 'batch' && !syncEach) {
    throw new Error(
      `fileOutbox: sync must be 'batch' or 'each' (got ${JSON.stringify(options.sync)})`,
    );
  }
  if (typeof compactAfter !== 'number' || !(compactAfter >= 0)) {
    throw new Error(`fileOutbox: compactAfter must be a number >= 0 (got ${String(compactAfter)})`);
  }
  if (openHere.has(dir)) {
    throw new Error(
      `the outbox in ${dir} is already open in this process: create one fileOutbox per directory and share it`,
    );
  }
  // 700 when we create it. An existing directory keeps its mode: it may be shared on purpose
  // (the app's own folder); the log's files in it are made 600.
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const lease = acquireLease(dir);
  openHere.add(dir);

  let closed = false;
  let lost = false;
  const takenOver = () =>
    new Error(
      `the outbox in ${dir} was taken over by another process (this one stalled past its lock's lease): it stores nothing more here`,
    );
  const log = new OutboxLog(
    dir,
    {
      holds: () => lease.holds(),
      lost() {
        lose();
        return takenOver();
      },
    },
    compactAfter,
  );

  // The lease is renewed every second from now on, and while a large log is read (seconds).
  let renewedAt = performance.now();
  const renew = () => {
    if (lease.renew()) renewedAt = performance.now();
    else lose();
  };
  const renewal = setInterval(() => {
    if (!closed && !lost) renew();
  }, renewEveryMs);
  renewal.unref?.();
  try {
    log.load(() => {
      if (performance.now() - renewedAt > renewEveryMs) renew();
    });
  } catch (error) {
    clearInterval(renewal);
    openHere.delete(dir);
    lease.release();
    throw error;
  }

  function lose(): void {
    lost = true;
    clearInterval(renewal);
    log.close();
  }

  let syncPending = false;
  function syncSoon(): void {
    if (syncPending) return;
    // Once per turn, for every report written in it, on the thread pool: the event loop (and
    // the checkout waiting on it) never waits for the disk.
    syncPending = true;
    setImmediate(() => {
      syncPending = false;
      if (!closed && !lost) log.syncInBackground();
    });
  }

  const onExit = () => {
    try {
      close();
    } catch {
      // Exiting anyway.
    }
  };
  process.once('exit', onExit);
  function close(): void {
    if (closed) return;
    closed = true;
    process.off('exit', onExit);
    clearInterval(renewal);
    log.close();
    lease.release();
    openHere.delete(dir);
  }

  return {
    directory: dir,
    get file() {
      return log.newestFile;
    },
    get size() {
      return log.size;
    },
    put(entry) {
      if (closed) throw new Error(`the outbox in ${dir} is closed`);
      // The event loop stalled past two renewals: the lease may have lapsed and another process
      // taken over. Renew, or learn that, before writing anything.
      if (!lost && performance.now() - renewedAt > 2 * renewEveryMs) renew();
      if (lost) throw takenOver();
      if (log.has(entry.id)) return; // the same payment: stored once, delivered once
      const segment = log.put(entry);
      // The report is in the file before `put` returns (and so before `track` returns).
      if (syncEach) segment.sync();
      else syncSoon();
    },
    delete(id) {
      if (!closed && !lost) log.delete(id);
    },
    list(options) {
      if (closed) return [];
      if (lost) throw takenOver();
      const limit = options?.limit ?? Number.POSITIVE_INFINITY;
      if (typeof limit !== 'number' || !(limit >= 0)) {
        throw new Error(`list: limit must be a number >= 0 (got ${String(limit)})`);
      }
      return log.list(limit).sort((a, b) => a.createdAt - b.createdAt);
    },
    close,
  };
}
