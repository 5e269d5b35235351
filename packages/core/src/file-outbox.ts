/// <reference types="node" />
// The built-in durable outbox for Node. A separate entry point
// (`@datafast-checkout/core/file-outbox`), so the main entry stays free of `node:` imports.
import {
  closeSync,
  existsSync,
  fsync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import type { Outbox, OutboxEntry } from './outbox.js';

/** Options of {@link fileOutbox}. */
export interface FileOutboxOptions {
  /**
   * Rewrite the log once its dead lines (delivered entries) outnumber both this and the live
   * entries, so each rewrite is paid for by as many appends. Default 1 000.
   */
  compactAfter?: number;
  /**
   * When stored reports reach the disk itself. `'batch'` (the default): `put` writes the report
   * to the file before it returns, so a crash, a `kill -9` or an OOM kill of the process loses
   * none, and one `fsync` per event-loop turn, off the event loop, covers every report written
   * in it (a power loss or a kernel crash can lose the reports of that last turn). `'each'`: `put` also `fsync`s before
   * it returns, so even a power loss loses nothing, at a few milliseconds per report on most
   * disks, spent in `track`.
   */
  sync?: 'batch' | 'each';
}

/** A {@link fileOutbox}: an `Outbox` plus where it lives and how to let go of it. */
export interface FileOutbox extends Outbox {
  /** Synchronous: the entry is on disk when it returns. */
  put(entry: OutboxEntry): void;
  delete(id: string): void;
  list(): OutboxEntry[];
  /** The log file, `<directory>/outbox.jsonl`. */
  readonly file: string;
  /** Entries stored and not yet delivered. */
  readonly size: number;
  /** Closes the log and releases the directory's lock (also done when the process exits). */
  close(): void;
}

type LogLine = { op: 'put'; entry: OutboxEntry } | { op: 'delete'; id: string };

// Directories opened by this process: a second fileOutbox on one is a mistake, not a stale lock.
const openHere = new Set<string>();

/**
 * A durable outbox in a directory: an append-only log, written before `put` returns and
 * `fsync`ed once per event-loop turn (or after every report, `sync: 'each'`), compacted as
 * deliveries remove entries. One process per directory, enforced by a lock file
 * holding the owner's pid (a lock left by a crashed process is taken over). A crash in the middle
 * of a write loses at most that one torn entry, never the file.
 *
 * @example
 * import { fileOutbox } from '@datafast-checkout/core/file-outbox'
 * const datafast = createDatafast({ outbox: fileOutbox(process.env.DATAFAST_OUTBOX_DIR ?? '.datafast-outbox') })
 */
export function fileOutbox(directory: string, options: FileOutboxOptions = {}): FileOutbox {
  const dir = resolve(directory);
  const file = join(dir, 'outbox.jsonl');
  const lock = join(dir, 'outbox.lock');
  const compactAfter = options.compactAfter ?? 1_000;
  const syncEach = options.sync === 'each';
  if (options.sync !== undefined && options.sync !== 'batch' && !syncEach) {
    throw new Error(
      `fileOutbox: sync must be 'batch' or 'each' (got ${JSON.stringify(options.sync)})`,
    );
  }
  mkdirSync(dir, { recursive: true });
  acquireLock(dir, lock);

  // Only the ids stay in memory; entries are read back from the file when listed, so an outage
  // of days costs disk, not heap.
  let live: Set<string>;
  let fd: number;
  let lines: number;
  try {
    const entries = readLog(file);
    live = new Set(entries.keys());
    fd = rewrite(entries);
  } catch (error) {
    releaseLock(dir, lock);
    throw error;
  }

  // Writes the live entries to a new file and swaps it in: drops deleted entries and any torn
  // line a crash left at the end.
  function rewrite(entries: Map<string, OutboxEntry>): number {
    const temporary = `${file}.${process.pid}.tmp`;
    const text = [...entries.values()].map((entry) => `${JSON.stringify({ op: 'put', entry })}\n`);
    writeFileSync(temporary, text.join(''));
    const handle = openSync(temporary, 'r+');
    fsyncSync(handle);
    closeSync(handle);
    renameSync(temporary, file);
    syncDirectory(dir);
    lines = live.size;
    return openSync(file, 'a');
  }

  let syncPending = false;
  function append(line: LogLine, durable: boolean): void {
    writeSync(fd, `${JSON.stringify(line)}\n`);
    if (durable && syncEach) fsyncSync(fd);
    else if (durable && !syncPending) {
      // Once per turn, for every report written in it, on the thread pool: the event loop (and
      // the checkout waiting on it) never waits for the disk.
      syncPending = true;
      setImmediate(() => {
        syncPending = false;
        if (!closed) fsync(fd, () => {}); // a failure here changes nothing the write did not
      });
    }
    lines += 1;
    if (lines - live.size > compactAfter && lines > 2 * live.size) {
      closeSync(fd);
      fd = rewrite(readLog(file));
    }
  }

  const onExit = () => close();
  process.once('exit', onExit);
  let closed = false;
  function close(): void {
    if (closed) return;
    closed = true;
    process.off('exit', onExit);
    fsyncSync(fd);
    closeSync(fd);
    releaseLock(dir, lock);
  }

  return {
    file,
    get size() {
      return live.size;
    },
    put(entry) {
      if (closed) throw new Error(`the outbox in ${dir} is closed`);
      if (live.has(entry.id)) return; // the same payment: stored once, delivered once
      // The report is on disk before `put` returns (and so before `track` returns).
      append({ op: 'put', entry }, true);
      live.add(entry.id);
    },
    delete(id) {
      if (closed || !live.has(id)) return;
      live.delete(id);
      // Not fsynced: a delete lost to a crash only means one more delivery, which DataFast
      // deduplicates.
      append({ op: 'delete', id }, false);
    },
    list() {
      if (closed) return [];
      return [...readLog(file).values()].sort((a, b) => a.createdAt - b.createdAt);
    },
    close,
  };
}

function readLog(file: string): Map<string, OutboxEntry> {
  const live = new Map<string, OutboxEntry>();
  if (!existsSync(file)) return live;
  const text = readFileSync(file, 'utf8');
  for (const raw of text.split('\n')) {
    if (!raw) continue;
    let line: LogLine;
    try {
      line = JSON.parse(raw) as LogLine;
    } catch {
      continue; // a line torn by a crash mid-write: the one entry it held is all that is lost
    }
    if (line?.op === 'put' && typeof line.entry?.id === 'string')
      live.set(line.entry.id, line.entry);
    else if (line?.op === 'delete' && typeof line.id === 'string') live.delete(line.id);
  }
  return live;
}

function acquireLock(dir: string, lock: string): void {
  if (openHere.has(dir)) {
    throw new Error(
      `the outbox in ${dir} is already open in this process: create one fileOutbox per directory and share it`,
    );
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      openHere.add(dir);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(readFileSync(lock, 'utf8'), 10);
    // Our own pid in a lock we did not take is a previous life of this process (a container
    // restarted with the same pid): stale, like a dead owner's.
    if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
      throw new Error(
        `the outbox in ${dir} is in use by process ${owner}: one process per outbox directory (give each process its own directory, e.g. DATAFAST_OUTBOX_DIR=.datafast-outbox/$HOSTNAME)`,
      );
    }
    unlinkSync(lock);
  }
  throw new Error(`could not lock the outbox in ${dir}: another process took it at the same time`);
}

function releaseLock(dir: string, lock: string): void {
  openHere.delete(dir);
  try {
    if (readFileSync(lock, 'utf8') === String(process.pid)) unlinkSync(lock);
  } catch {
    // Already gone: nothing to release.
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function syncDirectory(dir: string): void {
  // Makes the rename itself durable; not every platform lets a directory be opened for this.
  try {
    const handle = openSync(dir, 'r');
    fsyncSync(handle);
    closeSync(handle);
  } catch {
    // Windows: directories cannot be fsynced; the rename is still atomic.
  }
}
