/// <reference types="node" />
// size: the log's crash-safe file format and its compaction must be read together to be checked.
// The log of a file outbox: its files, oldest first, and where each stored entry's line is.
//
// Nothing is ever rewritten or renamed: a `put` or a `delete` is a line appended to the newest
// file (the head), which starts anew every 1 MiB; space is reclaimed by deleting the oldest file
// once nothing in it is live, after copying what still is to the head, a bounded step at a time.
// So every state a crash can leave is a set of whole files, replayed in order at the next start:
// a line copied forward and not yet deleted at its old place is read twice, the later one wins.
import { closeSync, fsyncSync, openSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { OutboxEntry } from '../outbox.js';
import {
  encodeLine,
  parseLine,
  readLines,
  readSpan,
  restrictToOwner,
  Segment,
  segmentPath,
  segmentSeq,
} from './segment.js';

/** How the log knows it may still write: the directory's lock (lease.ts). */
export interface Fence {
  /** `true` while this process holds the directory. */
  holds(): boolean;
  /** Called when it no longer does: nothing more is written; returns the error to throw. */
  lost(): Error;
}

/** Where an entry's `put` line is. */
interface Location {
  segment: Segment;
  offset: number;
  length: number;
}

// A new file every 1 MiB (about 2,800 reports): a file whose reports were all delivered is
// deleted whole, and one step of copying live ones reads at most `stepBytes` of a file.
const segmentBytes = 1 << 20;
const stepBytes = 256 << 10;
// `list` reads runs of nearby entries in one call of up to this many bytes.
const spanBytes = 1 << 20;

/**
 * The files of one outbox directory, held by this process. Only where each entry's line is stays
 * in memory (about 130 bytes per entry); entries are read back from the files when listed, so an
 * outage of days costs disk, not heap.
 */
export class OutboxLog {
  readonly #index = new Map<string, Location>();
  readonly #segments: Segment[] = []; // oldest first
  #head: Segment | undefined; // the one appended to, created at the first write
  #nextSeq = 1;
  #totalLines = 0;
  #copying: { segment: Segment; offset: number } | undefined;

  constructor(
    readonly dir: string,
    private readonly fence: Fence,
    private readonly compactAfter: number,
  ) {}

  /** Entries stored now. */
  get size(): number {
    return this.#index.size;
  }

  /** The file the next line goes to. */
  get newestFile(): string {
    return this.#head?.path ?? segmentPath(this.dir, this.#nextSeq);
  }

  has(id: string): boolean {
    return this.#index.has(id);
  }

  /**
   * Reads every file, oldest first, in chunks (a log of any size, in bounded memory), making each
   * 600, and deletes the leading ones with nothing live. `progress` runs every 65,536 lines.
   */
  load(progress: () => void): void {
    const names = readdirSync(this.dir);
    for (const name of names) {
      // The start-up rewrite of earlier versions, left behind by a crash or a full disk.
      if (/^outbox\.jsonl\.\d+\.tmp$/.test(name)) unlinkSync(join(this.dir, name));
    }
    const seqs = names.map(segmentSeq).filter((seq) => seq !== undefined);
    for (const seq of seqs.sort((a, b) => a - b)) {
      const segment = new Segment(seq, segmentPath(this.dir, seq));
      const fd = openSync(segment.path, 'r');
      try {
        restrictToOwner(fd);
        for (const { op, id, offset, bytes } of readLines(fd)) {
          segment.lines += 1;
          if ((segment.lines & 0xffff) === 0) progress();
          if (id === undefined) continue; // torn or corrupted: a dead line
          if (op === 'put') this.#stored(id, segment, offset, bytes.length);
          else this.#forget(id);
        }
      } finally {
        closeSync(fd);
      }
      this.#totalLines += segment.lines;
      this.#segments.push(segment);
      this.#nextSeq = seq + 1;
    }
    this.#dropDeadSegments();
  }

  /**
   * Appends the entry's `put` line and returns the file it went to; throws, with nothing stored,
   * when it cannot be written whole, or when the directory was taken over meanwhile (whoever took
   * it over reads the directory after it took it, so a line written before a successful check is
   * theirs too).
   */
  put(entry: OutboxEntry): Segment {
    const bytes = encodeLine({ op: 'put', entry });
    const { segment, offset } = this.#append(bytes);
    if (!this.fence.holds()) throw this.fence.lost();
    this.#stored(entry.id, segment, offset, bytes.length);
    return segment;
  }

  /**
   * Forgets an entry and appends its `delete` line, then reclaims a bounded amount of space.
   * Not fsynced, nor fenced: a delete lost to a crash only means one more delivery, which
   * DataFast deduplicates. Throws when the line cannot be written (the entry is forgotten here
   * either way).
   */
  delete(id: string): void {
    if (!this.#index.has(id)) return;
    this.#forget(id);
    try {
      this.#append(encodeLine({ op: 'delete', id }));
    } finally {
      this.#reclaim();
    }
  }

  /** The first `limit` entries stored (oldest first), read from the files. */
  list(limit: number): OutboxEntry[] {
    const picked: Array<[string, Location]> = [];
    for (const item of this.#index) {
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
          // Damaged on disk since it was read at start-up (its start intact, the rest not):
          // like a torn line, the one entry it held is lost; the others are still delivered.
          else this.#forget(id);
        }
        first = next;
      }
    } finally {
      for (const reader of readers.values()) reader.done();
    }
    return entries;
  }

  /** `fsync` of the head on the thread pool (the batched durability of `put`). */
  syncInBackground(): void {
    this.#head?.syncInBackground();
  }

  /** Writes no more: fsyncs the head and lets go of it. */
  close(): void {
    this.#head?.retire();
    this.#head = undefined;
  }

  #stored(id: string, segment: Segment, offset: number, length: number): void {
    const at = this.#index.get(id);
    if (at) {
      // Stored again later (copied forward by a reclaim): the later line is the one.
      at.segment.live -= 1;
      Object.assign(at, { segment, offset, length });
    } else {
      this.#index.set(id, { segment, offset, length });
    }
    segment.live += 1;
  }

  #forget(id: string): void {
    const at = this.#index.get(id);
    if (!at) return;
    at.segment.live -= 1;
    this.#index.delete(id);
  }

  /** Appends a whole line to the head (or throws with nothing of it in the log). */
  #append(bytes: Uint8Array): { segment: Segment; offset: number } {
    const segment = this.#headFor(bytes.length);
    const offset = segment.append(bytes);
    this.#totalLines += 1;
    return { segment, offset };
  }

  /** The file to append `length` bytes to: the head, or a new one when it is full or failed. */
  #headFor(length: number): Segment {
    const head = this.#head;
    if (head?.canAppend && (head.size === 0 || head.size + length <= segmentBytes)) return head;
    try {
      return this.#startSegment();
    } catch (error) {
      if (head?.canAppend) return head; // no new file (no inode, no descriptor): grow this one
      throw error;
    }
  }

  #startSegment(): Segment {
    let created: Segment | undefined;
    while (!created) {
      try {
        created = Segment.create(this.dir, this.#nextSeq);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      this.#nextSeq += 1;
    }
    // The new file's name is durable before anything in it counts as stored.
    syncDirectory(this.dir);
    this.#segments.push(created);
    // Open the new before letting go of the old.
    const previous = this.#head;
    this.#head = created;
    previous?.retire();
    return created;
  }

  /**
   * A bounded amount of work after a delete, never more than one step. The head is left alone;
   * in the files before it, live entries are copied forward once their dead lines outnumber both
   * `compactAfter` and the live entries there, so the copying is paid for by as many deliveries.
   */
  #reclaim(): void {
    try {
      this.#dropDeadSegments();
      const olderLines = this.#totalLines - (this.#head?.lines ?? 0);
      const olderLive = this.#index.size - (this.#head?.live ?? 0);
      const dead = olderLines - olderLive;
      if (dead > this.compactAfter && dead > olderLive) this.#copyForwardStep();
    } catch {
      // A full disk or a lost lock: the space stays taken; the next delete tries again.
    }
  }

  /** Deletes the oldest files while nothing in them is live (never the head). */
  #dropDeadSegments(): void {
    for (let oldest = this.#segments[0]; oldest; oldest = this.#segments[0]) {
      if (oldest === this.#head || oldest.live > 0) return;
      // Oldest first: its `delete` lines can only concern entries of its own, or of files
      // already gone. And only while the directory is still ours.
      if (!this.fence.holds()) throw this.fence.lost();
      try {
        unlinkSync(oldest.path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      this.#segments.shift();
      this.#totalLines -= oldest.lines;
      if (this.#copying?.segment === oldest) this.#copying = undefined;
    }
  }

  /**
   * Copies the live entries of up to `stepBytes` of the oldest file to the head; once the whole
   * file is copied, it is deleted. The copies are fsynced before the original can go.
   */
  #copyForwardStep(): void {
    const oldest = this.#segments[0];
    if (!oldest || oldest === this.#head) return;
    const from = this.#copying?.segment === oldest ? this.#copying.offset : 0;
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
        const at = op === 'put' && id !== undefined ? this.#index.get(id) : undefined;
        if (at?.segment === oldest && at.offset === offset) {
          const copy = this.#append(bytes);
          oldest.live -= 1;
          copy.segment.live += 1;
          Object.assign(at, copy);
          copied = true;
        }
        reached = offset + bytes.length;
      }
    } finally {
      reader.done();
      this.#copying = { segment: oldest, offset: reached };
    }
    if (copied) this.#head?.sync();
    if (finished) {
      this.#copying = undefined;
      this.#dropDeadSegments();
    }
  }
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
