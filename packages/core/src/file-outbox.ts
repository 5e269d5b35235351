/// <reference types="node" />
// The built-in durable outbox for Node. A separate entry point
// (`@datafast-checkout/core/file-outbox`), so the main entry stays free of `node:` imports.
//
// The log is a series of append-only files (segments, segment.ts) in one directory held by one
// process at a time (lease.ts). Nothing is ever rewritten or renamed: a `put` or a `delete` is a
// line appended to the newest file, and space is reclaimed by deleting the oldest file once
// nothing in it is live, after copying what still is to the newest one, a bounded step at a time.
// So every state a crash can leave is a set of whole files, read in order at the next start.
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, unlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { acquireLease, renewEveryMs } from './file-outbox/lease.js';
import {
  encodeLine,
  parseLine,
  readLines,
  readSpan,
  restrictToOwner,
  Segment,
  segmentPath,
  segmentSeq,
} from './file-outbox/segment.js';
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

/** Where an entry's `put` line is. */
interface Location {
  segment: Segment;
  offset: number;
  length: number;
}

// A new file every 1 MiB (about 2,800 reports): a file whose reports were all delivered is
// deleted whole, and one step of copying live ones reads at most `stepBytes`.
const segmentBytes = 1 << 20;
const stepBytes = 256 << 10;
// `list` reads runs of nearby entries in one call of up to this many bytes.
const spanBytes = 1 << 20;

// Directories opened by this process: a second fileOutbox on one is a mistake, not a stale lock.
const openHere = new Set<string>();

/**
 * A durable outbox in a directory: append-only files, written before `put` returns and
 * `fsync`ed once per event-loop turn (or after every report, `sync: 'each'`), whose space is
 * reclaimed as deliveries remove entries. One process per directory, enforced by a lock that a
 * crashed owner never keeps (see `lease.ts`). Created 700, its files 600: they hold customers'
 * emails and names. A crash in the middle of a write loses at most that one torn entry.
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
  // (the app's own folder); the files in it are made 600 below.
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const lease = acquireLease(dir);
  openHere.add(dir);

  // Only where each entry's line is stays in memory (about 130 bytes per entry); entries are
  // read back from the files when listed, so an outage of days costs disk, not heap.
  const index = new Map<string, Location>();
  const segments: Segment[] = []; // oldest first
  let head: Segment | undefined; // the one being appended to, created at the first write
  let nextSeq = 1;
  let totalLines = 0;
  let collecting: { segment: Segment; offset: number } | undefined;
  let closed = false;
  let lost = false;
  let syncPending = false;

  // The lease is renewed every second, from now on: reading a large log takes seconds too.
  let renewedAt = performance.now();
  const renewal = setInterval(() => {
    if (closed || lost) return;
    if (lease.renew()) renewedAt = performance.now();
    else lose();
  }, renewEveryMs);
  renewal.unref?.();
  try {
    load();
  } catch (error) {
    clearInterval(renewal);
    openHere.delete(dir);
    lease.release();
    throw error;
  }

  function load(): void {
    const names = readdirSync(dir);
    for (const name of names) {
      // The start-up rewrite of earlier versions, left behind by a crash or a full disk.
      if (/^outbox\.jsonl\.\d+\.tmp$/.test(name)) unlinkSync(join(dir, name));
    }
    const seqs = names.map(segmentSeq).filter((seq) => seq !== undefined);
    for (const seq of seqs.sort((a, b) => a - b)) {
      const segment = new Segment(seq, segmentPath(dir, seq));
      const fd = openSync(segment.path, 'r');
      try {
        restrictToOwner(fd);
        for (const { op, id, offset, bytes } of readLines(fd)) {
          segment.lines += 1;
          if (id === undefined) continue; // torn or corrupted: dead
          if (op === 'put') stored(id, segment, offset, bytes.length);
          else forget(id);
          // Reading a log of millions of entries takes seconds: keep the lease meanwhile.
          if ((segment.lines & 0xffff) === 0 && performance.now() - renewedAt > renewEveryMs) {
            lease.renew();
            renewedAt = performance.now();
          }
        }
      } finally {
        closeSync(fd);
      }
      totalLines += segment.lines;
      segments.push(segment);
      nextSeq = seq + 1;
    }
    dropDeadSegments();
  }

  function stored(id: string, segment: Segment, offset: number, length: number): void {
    const at = index.get(id);
    if (at) {
      // Stored again later (copied forward by a reclaim): the later line is the one.
      at.segment.live -= 1;
      Object.assign(at, { segment, offset, length });
    } else {
      index.set(id, { segment, offset, length });
    }
    segment.live += 1;
  }

  function forget(id: string): void {
    const at = index.get(id);
    if (!at) return;
    at.segment.live -= 1;
    index.delete(id);
  }

  /** The file to append `length` bytes to: the head, or a new one when it is full or failed. */
  function headFor(length: number): Segment {
    if (head?.canAppend && (head.size === 0 || head.size + length <= segmentBytes)) return head;
    try {
      return startSegment();
    } catch (error) {
      if (head?.canAppend) return head; // no new file (no inode, no descriptor): grow this one
      throw error;
    }
  }

  function startSegment(): Segment {
    let created: Segment | undefined;
    while (!created) {
      try {
        created = Segment.create(dir, nextSeq);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      nextSeq += 1;
    }
    // The new file's name is durable before anything in it counts as stored.
    syncDirectory(dir);
    segments.push(created);
    // Open the new before letting go of the old.
    const previous = head;
    head = created;
    previous?.retire();
    return created;
  }

  /**
   * Appends a whole line (or throws with nothing of it in the log). With `fenced`, it counts
   * only if this process still held the directory after writing it: a process that took the
   * directory over has read it, or will.
   */
  function append(bytes: Uint8Array, fenced: boolean): { segment: Segment; offset: number } {
    if (fenced && performance.now() - renewedAt > 2 * renewEveryMs) {
      // The event loop stalled past two renewals: the lease may have lapsed and another process
      // taken over. Renew, or learn that, before writing anything.
      if (!lease.renew()) {
        lose();
        throw takenOver();
      }
      renewedAt = performance.now();
    }
    const segment = headFor(bytes.length);
    const offset = segment.append(bytes);
    totalLines += 1;
    if (fenced && !lease.holds()) {
      lose();
      throw takenOver();
    }
    return { segment, offset };
  }

  function syncSoon(): void {
    if (syncPending) return;
    // Once per turn, for every report written in it, on the thread pool: the event loop (and
    // the checkout waiting on it) never waits for the disk.
    syncPending = true;
    setImmediate(() => {
      syncPending = false;
      if (!closed) head?.syncInBackground();
    });
  }

  /**
   * Reclaims space after a delete: a bounded amount of work, never more than one step. The head
   * is left alone (it starts a new file every 1 MiB); in the files before it, live entries are
   * copied forward once their dead lines outnumber both `compactAfter` and the live entries, so
   * the copying is paid for by as many deliveries.
   */
  function reclaim(): void {
    try {
      dropDeadSegments();
      const olderLines = totalLines - (head?.lines ?? 0);
      const olderLive = index.size - (head?.live ?? 0);
      const dead = olderLines - olderLive;
      if (dead > compactAfter && dead > olderLive) copyForwardStep();
    } catch {
      // A full disk or a lost lock: the space stays taken; the next delete tries again.
    }
  }

  /** Deletes the oldest files while nothing in them is live (never the head). */
  function dropDeadSegments(): void {
    for (
      let oldest = segments[0];
      oldest && oldest !== head && oldest.live === 0;
      oldest = segments[0]
    ) {
      // Oldest first: its `delete` lines can only concern entries of its own, or of files
      // already gone. And only while the directory is still ours.
      if (!lease.holds()) {
        lose();
        return;
      }
      try {
        unlinkSync(oldest.path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      segments.shift();
      totalLines -= oldest.lines;
      if (collecting?.segment === oldest) collecting = undefined;
    }
  }

  /**
   * Copies the live entries of up to `stepBytes` of the oldest file to the head; once the whole
   * file is copied, it is deleted. The copies are fsynced before the original can go.
   */
  function copyForwardStep(): void {
    const oldest = segments[0];
    if (!oldest || oldest === head) return;
    const from = collecting?.segment === oldest ? collecting.offset : 0;
    let reached = from;
    let finished = true;
    let copied = false;
    const reader = oldest.openForReading();
    try {
      for (const { op, id, offset, bytes } of readLines(reader.fd, from)) {
        if (offset - from >= stepBytes) {
          finished = false;
          break;
        }
        const at = op === 'put' && id !== undefined ? index.get(id) : undefined;
        if (at?.segment === oldest && at.offset === offset) {
          const copy = append(bytes, false);
          oldest.live -= 1;
          copy.segment.live += 1;
          Object.assign(at, copy);
          copied = true;
        }
        reached = offset + bytes.length;
      }
    } finally {
      reader.done();
      collecting = { segment: oldest, offset: reached };
    }
    if (copied) head?.sync();
    if (finished) {
      collecting = undefined;
      dropDeadSegments();
    }
  }

  function lose(): void {
    lost = true;
    clearInterval(renewal);
    head?.retire();
  }

  function takenOver(): Error {
    return new Error(
      `the outbox in ${dir} was taken over by another process (this one stalled past its lock's lease): it stores nothing more here`,
    );
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
    head?.retire();
    head = undefined;
    lease.release();
    openHere.delete(dir);
  }

  return {
    directory: dir,
    get file() {
      return head?.path ?? segmentPath(dir, nextSeq);
    },
    get size() {
      return index.size;
    },
    put(entry) {
      if (closed) throw new Error(`the outbox in ${dir} is closed`);
      if (lost) throw takenOver();
      if (index.has(entry.id)) return; // the same payment: stored once, delivered once
      const bytes = encodeLine({ op: 'put', entry });
      const { segment, offset } = append(bytes, true);
      index.set(entry.id, { segment, offset, length: bytes.length });
      segment.live += 1;
      // The report is in the file before `put` returns (and so before `track` returns).
      if (syncEach) segment.sync();
      else syncSoon();
    },
    delete(id) {
      if (closed || lost || !index.has(id)) return;
      forget(id);
      try {
        // Not fsynced: a delete lost to a crash only means one more delivery, which DataFast
        // deduplicates.
        append(encodeLine({ op: 'delete', id }), false);
      } finally {
        reclaim();
      }
    },
    list(options) {
      if (closed) return [];
      if (lost) throw takenOver();
      const limit = options?.limit ?? Number.POSITIVE_INFINITY;
      if (typeof limit !== 'number' || !(limit >= 0)) {
        throw new Error(`list: limit must be a number >= 0 (got ${String(limit)})`);
      }
      const picked: Array<[string, Location]> = [];
      for (const item of index) {
        if (picked.length >= limit) break;
        picked.push(item);
      }
      const readers = new Map<Segment, ReturnType<Segment['openForReading']>>();
      const entries: OutboxEntry[] = [];
      try {
        for (let first = 0; first < picked.length; ) {
          // One read for a run of entries close together in one file: the usual case, since
          // entries are listed in the order they were stored.
          const start = (picked[first] as [string, Location])[1];
          let end = start.offset + start.length;
          let next = first + 1;
          for (; next < picked.length; next++) {
            const at = (picked[next] as [string, Location])[1];
            if (at.segment !== start.segment || at.offset < end) break;
            if (at.offset + at.length - start.offset > spanBytes) break;
            end = at.offset + at.length;
          }
          let reader = readers.get(start.segment);
          if (!reader) {
            reader = start.segment.openForReading();
            readers.set(start.segment, reader);
          }
          const span = readSpan(reader.fd, start.offset, end - start.offset);
          for (const [id, at] of picked.slice(first, next)) {
            const from = at.offset - start.offset;
            const line = parseLine(span.subarray(from, from + at.length));
            if (line?.op === 'put' && line.entry.id === id) entries.push(line.entry);
            // Damaged on disk since it was scanned (its start intact, the rest not): like a
            // torn line, the one entry it held is lost; the others are still delivered.
            else forget(id);
          }
          first = next;
        }
      } finally {
        for (const reader of readers.values()) reader.done();
      }
      return entries.sort((a, b) => a.createdAt - b.createdAt);
    },
    close,
  };
}

function syncDirectory(dir: string): void {
  // Makes a new file's name durable; not every platform lets a directory be opened for this.
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return; // Windows: directories cannot be opened (nor fsynced)
  }
  try {
    fsyncSync(fd);
  } catch {
    // Some filesystems refuse to fsync a directory; the name is then as durable as they make it.
  } finally {
    closeSync(fd);
  }
}
