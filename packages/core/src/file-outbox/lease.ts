/// <reference types="node" />
// The lock of an outbox directory: one writer at a time, and a crashed writer never stops the
// next start.
//
// Why a lease in numbered files, and not the alternatives:
// - "Is the pid in the lock alive?" alone is wrong both ways: a SIGKILLed owner whose parent is
//   gone stays a zombie where pid 1 does not reap (a container without an init), and after a
//   container restart its pid is often reused by an unrelated process.
// - Node has no flock/fcntl lock, which the OS would release with its owner.
// - A Linux abstract-namespace socket is released with its owner, but it is per network
//   namespace (two containers sharing a volume would both hold it), Linux only, and its bind
//   reports asynchronously while `fileOutbox()` must answer synchronously.
//
// So: the holder of the highest generation `outbox.lock.<n>` holds the directory. Taking it over
// is creating `outbox.lock.<n+1>` with O_EXCL (`'wx'`): of any number of processes starting
// together, exactly one creates it; the others see a live holder and stop. The holder renews its
// lease (the file's mtime) every second; a taker may take over when the holder is known dead
// (owner.ts: on Linux a zombie, a vanished pid or a pid now held by a process that started at
// another time) at once, and otherwise once the lease has not been renewed for `leaseMs`: 5 s,
// long enough that a holder whose event loop stalls for a few seconds keeps it, short enough that
// a restarted container (whose old pid namespace it cannot look into) starts within 5 s of the
// crash. A release sets the mtime to 0, which ends the lease at once.
//
// Fencing: a holder that lost its lease to a taker (it stalled longer than the lease) must not
// write as if it still held it. A taker creates its generation, then deletes every older one,
// and only then reads the log. The holder keeps its own lock file open and checks, after every
// append and before every unlink, that the file is still linked (`fstat`: one system call, and a
// deleted file stays deleted whatever is created later under its name): if it is, no taker has
// read the log yet, so whatever was written before the check, the taker will read.
import {
  closeSync,
  fstatSync,
  futimesSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { currentOwner, legacyOwnerLiveness, livenessOf, type OwnerRecord } from './owner.js';

/** How long a holder that stopped renewing keeps the directory when its death cannot be seen. */
export const leaseMs = 5_000;
/** How often the holder renews: often enough that one late renewal never lapses the lease. */
export const renewEveryMs = 1_000;
const pollMs = 50;

const lockName = /^outbox\.lock\.(\d+)$/;
const legacyLock = 'outbox.lock';

/** The directory's lock, held by this process. */
export interface Lease {
  readonly generation: number;
  /** `false` once another process took the directory over: write nothing more. */
  holds(): boolean;
  /** Pushes the lease's end back; `false` (and nothing renewed) when it was taken over. */
  renew(): boolean;
  /** Ends the lease at once, so the next process starts without waiting, and lets go of it. */
  release(): void;
}

/** Thrown when a live process holds the directory. */
export class OutboxInUseError extends Error {
  constructor(
    readonly directory: string,
    readonly owner: OwnerRecord | undefined,
  ) {
    const who = owner
      ? `process ${owner.pid}${owner.host ? ` on ${owner.host}` : ''}`
      : 'another process';
    super(
      `the outbox in ${directory} is in use by ${who}: one process per outbox directory (give each process its own directory, e.g. DATAFAST_OUTBOX_DIR=.datafast-outbox/$HOSTNAME)`,
    );
    this.name = 'OutboxInUseError';
  }
}

/**
 * Takes the directory's lock, waiting (synchronously, at most {@link leaseMs}) only when its
 * holder's death cannot be seen from here; throws {@link OutboxInUseError} when it is held by a
 * live process.
 */
export function acquireLease(dir: string): Lease {
  refuseLiveLegacyOwner(dir);
  let watching: { generation: number; mtimeMs: number; since: number } | undefined;
  for (;;) {
    const top = Math.max(0, ...generations(dir));
    const held = top > 0 ? readLock(dir, top) : undefined;
    if (held && held.mtimeMs !== 0) {
      const liveness = held.owner ? livenessOf(held.owner) : 'unknown';
      if (liveness === 'alive') throw new OutboxInUseError(dir, held.owner);
      if (liveness === 'unknown') {
        if (watching?.generation !== top) {
          watching = { generation: top, mtimeMs: held.mtimeMs, since: Date.now() };
        } else if (held.mtimeMs !== watching.mtimeMs) {
          throw new OutboxInUseError(dir, held.owner); // renewed while we watched: it runs
        }
        // Lapsed `leaseMs` after its last renewal, or after we started watching, whichever is
        // first (a clock ahead of ours cannot make us wait longer than the lease).
        const lapsesAt = Math.min(held.mtimeMs, watching.since) + leaseMs;
        if (Date.now() < lapsesAt) {
          sleep(Math.min(pollMs, lapsesAt - Date.now()));
          continue;
        }
      }
    }
    // Free: never taken, released, its holder dead, or its lease lapsed.
    const fd = create(dir, top + 1);
    if (fd !== undefined) {
      // Before anything of the log is read: from now on the previous holder's check fails.
      try {
        removeOlder(dir, top + 1);
      } catch (error) {
        closeSync(fd);
        throw error;
      }
      return lease(fd, top + 1);
    }
    // Another process created it first: judge that one on the next round.
  }
}

function lease(fd: number, generation: number): Lease {
  let open = true;
  const holds = () => open && fstatSync(fd).nlink > 0;
  return {
    generation,
    holds,
    renew() {
      if (!holds()) return false;
      const now = new Date();
      try {
        futimesSync(fd, now, now);
      } catch {
        // Not renewed this time (an I/O error); the next renewal comes in a second.
      }
      return true;
    },
    release() {
      if (!open) return;
      try {
        if (holds()) futimesSync(fd, 0, 0);
      } catch {
        // The lease then ends on its own, `leaseMs` after the last renewal.
      } finally {
        open = false;
        closeSync(fd);
      }
    },
  };
}

/**
 * Creates `outbox.lock.<generation>` if nobody has, and returns it open; `undefined` when another
 * process created it first.
 */
function create(dir: string, generation: number): number | undefined {
  let fd: number;
  try {
    fd = openSync(join(dir, `outbox.lock.${generation}`), 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify(currentOwner()));
  } catch {
    // A full disk: the file alone is the claim; without the record others judge it by its lease.
  }
  return fd;
}

/**
 * Deletes every older generation (and an earlier version's `outbox.lock`). Their holders' fence
 * is that their file is still linked: a generation that cannot be deleted fails the start.
 */
function removeOlder(dir: string, generation: number): void {
  for (const older of generations(dir)) {
    if (older >= generation) continue;
    try {
      unlinkSync(join(dir, `outbox.lock.${older}`));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      unlinkQuietly(join(dir, `outbox.lock.${generation}`));
      throw error;
    }
  }
  unlinkQuietly(join(dir, legacyLock));
}

function generations(dir: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync(dir)) {
    const match = lockName.exec(name);
    if (match) found.push(Number(match[1]));
  }
  return found;
}

function readLock(
  dir: string,
  generation: number,
): { owner: OwnerRecord | undefined; mtimeMs: number } | undefined {
  const path = join(dir, `outbox.lock.${generation}`);
  try {
    const { mtimeMs } = statSync(path);
    return { owner: parseOwner(readFileSync(path, 'utf8')), mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // just replaced
    throw error;
  }
}

function parseOwner(text: string): OwnerRecord | undefined {
  try {
    const owner = JSON.parse(text) as OwnerRecord;
    return Number.isSafeInteger(owner?.pid) ? owner : undefined;
  } catch {
    return undefined; // being written, or a full disk kept the record out
  }
}

/** An `outbox.lock` of an earlier version, which names the pid alone and is never renewed. */
function refuseLiveLegacyOwner(dir: string): void {
  const path = join(dir, legacyLock);
  let pid: number;
  let mtimeMs: number;
  try {
    pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    mtimeMs = statSync(path).mtimeMs;
  } catch {
    return; // none
  }
  if (pid === process.pid || !Number.isSafeInteger(pid)) return;
  if (legacyOwnerLiveness(pid, mtimeMs) === 'alive') {
    throw new OutboxInUseError(dir, { pid, host: '' });
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, Math.max(1, ms));
}
