/// <reference types="node" />
// One file of the outbox's log, and the reading and writing of its lines. Every rule that keeps
// the log whole is here:
// - a line is appended whole or not at all: a short write is continued, and a write that fails
//   half-way is cut back off the file (or, if even that fails, the file is never written again),
//   so no later line is glued onto a torn one;
// - a file is written only by the process that created it (O_EXCL), through the descriptor it
//   opened, which stays open until its last fsync has finished: no write or fsync ever goes
//   through a number the OS may have handed to another file or socket;
// - it is read in fixed-size chunks, never whole: a log of any size starts in bounded memory.
import {
  closeSync,
  fchmodSync,
  fsync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { OutboxEntry } from '../outbox.js';

/** One operation: a line of the log. */
export type LogLine = { op: 'put'; entry: OutboxEntry } | { op: 'delete'; id: string };

/** A line as scanned: what it does to which entry (`undefined` for a line that is not ours). */
export interface ScannedLine {
  op: LogLine['op'] | undefined;
  id: string | undefined;
  offset: number;
  /** Its raw bytes, newline included: valid until the next line is read. */
  bytes: Uint8Array;
}

const chunkBytes = 1 << 20;
// A line past this is not one we wrote (a transaction id of megabytes is refused by DataFast long
// before): skipped without being held in memory.
const longestLine = 64 << 20;
const newline = 10;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** `outbox.<seq>.jsonl`; seq 0 is `outbox.jsonl`, the single log of earlier versions. */
export function segmentPath(dir: string, seq: number): string {
  return join(dir, seq === 0 ? 'outbox.jsonl' : `outbox.${seq}.jsonl`);
}

/** The sequence number of a log file's name, or `undefined` for another file. */
export function segmentSeq(name: string): number | undefined {
  if (name === 'outbox.jsonl') return 0;
  const match = /^outbox\.(\d+)\.jsonl$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

/**
 * A line's bytes. A `put`'s entry is written with its `id` first, so that a scan reads the op and
 * the id off the start of the line (see {@link scanLine}) without parsing the rest.
 */
export function encodeLine(line: LogLine): Uint8Array {
  const canonical =
    line.op === 'put'
      ? {
          op: 'put',
          entry: { id: line.entry.id, body: line.entry.body, createdAt: line.entry.createdAt },
        }
      : { op: 'delete', id: line.id };
  return encoder.encode(`${JSON.stringify(canonical)}\n`);
}

/**
 * A file of the log. The newest one this process created is the head, the only one it appends
 * to; older ones (and every file found at start-up) are only read, then deleted once nothing in
 * them is live.
 */
export class Segment {
  /** Lines in the file, whole ones only. */
  lines = 0;
  /** Of those, `put`s of entries that are stored now (not deleted, not stored again later). */
  live = 0;
  /** Bytes of whole lines: where the next line goes. */
  size = 0;
  private fd: number | undefined;
  private writable = false;
  private syncing = 0;
  private retired = false;

  constructor(
    readonly seq: number,
    readonly path: string,
  ) {}

  /** Creates the file; throws if it exists (only its creator ever writes a file). */
  static create(dir: string, seq: number): Segment {
    const segment = new Segment(seq, segmentPath(dir, seq));
    segment.fd = openSync(segment.path, 'ax+', 0o600);
    segment.writable = true;
    return segment;
  }

  get canAppend(): boolean {
    return this.writable;
  }

  /**
   * Appends a whole line and returns its offset; throws, with nothing of it left in the file,
   * when it cannot (ENOSPC, EIO).
   */
  append(bytes: Uint8Array): number {
    const fd = this.writableFd();
    const at = this.size;
    let written = 0;
    try {
      while (written < bytes.length) {
        const count = writeSync(fd, bytes, written, bytes.length - written);
        if (count <= 0)
          throw Object.assign(new Error('ENOSPC: the write stored nothing'), { code: 'ENOSPC' });
        written += count;
      }
    } catch (error) {
      if (written > 0) this.cutBackTo(at);
      throw error;
    }
    this.size += bytes.length;
    this.lines += 1;
    return at;
  }

  /** `fsync` now; on failure the file is written no more (what reached the disk is unknown). */
  sync(): void {
    try {
      fsyncSync(this.writableFd());
    } catch (error) {
      this.retire();
      throw error;
    }
  }

  /** `fsync` on the thread pool; the descriptor stays open until it is done. */
  syncInBackground(): void {
    if (!this.writable || this.fd === undefined) return;
    const fd = this.fd;
    this.syncing += 1;
    fsync(fd, (error) => {
      this.syncing -= 1;
      // The disk may have dropped these pages: write to another file from now on.
      if (error && !this.retired) this.retire();
      else if (this.retired && this.syncing === 0) this.closeFd();
    });
  }

  /** Stops appending: fsyncs what was written, and closes once no fsync is in flight. */
  retire(): void {
    if (this.retired) return;
    this.retired = true;
    this.writable = false;
    if (this.fd === undefined) return;
    try {
      fsyncSync(this.fd);
    } catch {
      // Nothing more to do: this file is written no more either way.
    }
    if (this.syncing === 0) this.closeFd();
  }

  /** A descriptor to read with, and how to let go of it. */
  openForReading(): { fd: number; done(): void } {
    if (this.fd !== undefined) return { fd: this.fd, done: () => {} };
    const fd = openSync(this.path, 'r');
    return { fd, done: () => closeSync(fd) };
  }

  private writableFd(): number {
    if (!this.writable || this.fd === undefined) throw new Error(`${this.path} is not writable`);
    return this.fd;
  }

  private cutBackTo(size: number): void {
    try {
      ftruncateSync(this.writableFd(), size);
    } catch {
      // The torn line stays; never append after it (readers skip a line without its newline).
      this.retire();
    }
  }

  private closeFd(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    closeSync(fd);
  }
}

/**
 * The lines of a file from `start`, read in chunks of 1 MiB (memory stays bounded whatever its
 * size). A last line without its newline (torn by a crash) is not yielded.
 */
export function* readLines(fd: number, start = 0): Generator<ScannedLine> {
  let buffer = new Uint8Array(chunkBytes);
  let filled = 0; // bytes in `buffer`
  let bufferAt = start; // file offset of buffer[0]
  let skipping = false; // inside a line past `longestLine`
  for (;;) {
    const count = readSync(fd, buffer, filled, buffer.length - filled, bufferAt + filled);
    if (count === 0) return;
    filled += count;
    const view = buffer.subarray(0, filled);
    let lineStart = 0;
    for (;;) {
      const end = view.indexOf(newline, lineStart);
      if (end === -1) break;
      const bytes = buffer.subarray(lineStart, end + 1);
      const { op, id } = skipping ? notOurs : scanLine(bytes);
      yield { op, id, offset: bufferAt + lineStart, bytes };
      skipping = false;
      lineStart = end + 1;
    }
    // Keep the unfinished line at the start of the buffer, growing it for a long line.
    if (lineStart === 0 && filled === buffer.length) {
      if (buffer.length >= longestLine) {
        skipping = true; // drop what we have of it; its newline ends it
        bufferAt += filled;
        filled = 0;
        continue;
      }
      const larger = new Uint8Array(buffer.length * 2);
      larger.set(buffer);
      buffer = larger;
      continue;
    }
    buffer.copyWithin(0, lineStart, filled);
    filled -= lineStart;
    bufferAt += lineStart;
  }
}

/** Reads `length` bytes at `offset` (fewer at the end of the file). */
export function readSpan(fd: number, offset: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let read = 0;
  while (read < length) {
    const count = readSync(fd, bytes, read, length - read, offset + read);
    if (count === 0) break;
    read += count;
  }
  return bytes.subarray(0, read);
}

/** Files holding customers' emails and names are for this user only (mode 600). */
export function restrictToOwner(fd: number): void {
  try {
    fchmodSync(fd, 0o600);
  } catch {
    // Not ours to change (another user's file): left as it is.
  }
}

const notOurs = { op: undefined, id: undefined };
// The start of every line this package writes: `{"op":"put","entry":{"id":"…"` or
// `{"op":"delete","id":"…"`, the id a JSON string.
const knownStart = /^\{"op":"(?:(put)","entry":\{"id|(delete)","id)":("(?:[^"\\]|\\.)*")/;

/**
 * The op and id of a line, read off its start (a few times faster than parsing it whole, which
 * matters at start-up with millions of lines); lines of another shape are parsed whole.
 */
function scanLine(bytes: Uint8Array): { op: LogLine['op'] | undefined; id: string | undefined } {
  // A whole line ends with `}` and its newline; anything else was not written by us.
  if (bytes.length < 3 || bytes[bytes.length - 2] !== 0x7d) return notOurs;
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return notOurs;
  }
  const match = knownStart.exec(text);
  if (match) {
    const op = (match[1] ?? match[2]) as LogLine['op'];
    return { op, id: JSON.parse(match[3] as string) as string };
  }
  const line = parseLine(bytes);
  if (!line) return notOurs;
  return { op: line.op, id: line.op === 'put' ? line.entry.id : line.id };
}

/** A whole line, parsed; `undefined` when it is not one of ours. */
export function parseLine(bytes: Uint8Array): LogLine | undefined {
  let line: LogLine;
  try {
    line = JSON.parse(decoder.decode(bytes)) as LogLine;
  } catch {
    return undefined; // torn by a crash, or not ours
  }
  if (line?.op === 'put' && typeof line.entry?.id === 'string') return line;
  if (line?.op === 'delete' && typeof line.id === 'string') return line;
  return undefined;
}
