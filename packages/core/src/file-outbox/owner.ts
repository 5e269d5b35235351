/// <reference types="node" />
// Who holds an outbox directory, and whether that process still runs: the fast path of the
// lock (lease.ts), which otherwise waits for the owner's lease to lapse.
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/** What a lock file records about the process that holds it. */
export interface OwnerRecord {
  pid: number;
  /** Linux: the process's start time in clock ticks since boot (`/proc/<pid>/stat`, field 22). */
  started?: string;
  /** Linux: the pid namespace the `pid` is counted in (`/proc/self/ns/pid`). */
  pidNamespace?: string;
  /** Linux: this boot of the kernel (`/proc/sys/kernel/random/boot_id`). */
  bootId?: string;
  host: string;
}

/**
 * `'dead'`: certainly gone (no such process, a zombie, or another process now holding the pid).
 * `'alive'`: certainly the very process that wrote the record. `'unknown'`: its pid means
 * nothing here (another pid namespace, another machine, no `/proc`): only its lease can tell.
 */
export type Liveness = 'alive' | 'dead' | 'unknown';

interface ProcStat {
  state: string;
  started: string;
}

let self: OwnerRecord | undefined;

/** This process, as its lock file records it. */
export function currentOwner(): OwnerRecord {
  self ??= {
    pid: process.pid,
    started: procStat(process.pid)?.started,
    pidNamespace: readProc(() => readlinkSync('/proc/self/ns/pid')),
    bootId: readProc(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()),
    host: hostname(),
  };
  return self;
}

/**
 * Whether the process a lock names still runs. A pid alone cannot say: a process killed while
 * its parent is gone stays a zombie where pid 1 does not reap (a container without an init), and
 * after a restart its pid may belong to an unrelated process. So on Linux the record's start
 * time must match the live process's, in the same pid namespace and the same boot; a zombie is
 * dead. Elsewhere only a pid that does not exist at all, on the same host, is known dead.
 */
export function livenessOf(owner: OwnerRecord): Liveness {
  const me = currentOwner();
  if (me.pidNamespace !== undefined && me.bootId !== undefined) {
    if (owner.pidNamespace !== me.pidNamespace || owner.bootId !== me.bootId) return 'unknown';
    const stat = procStat(owner.pid);
    if (!stat || isZombie(stat)) return 'dead';
    if (owner.started === undefined) return 'unknown';
    return stat.started === owner.started ? 'alive' : 'dead';
  }
  if (process.platform === 'linux' || owner.host !== me.host) return 'unknown';
  // macOS, Windows: no pid namespaces, so a pid missing on the same host is a dead owner; a pid
  // that exists may be reused, which only the lease can rule out.
  return pidExists(owner.pid) ? 'unknown' : 'dead';
}

/**
 * The owner of a lock written by an earlier version (`outbox.lock`, the pid alone), whose
 * lock never lapses: dead when the pid is gone, a zombie, or held by a process that started
 * after the lock was written.
 */
export function legacyOwnerLiveness(pid: number, writtenAtMs: number): 'alive' | 'dead' {
  const stat = procStat(pid);
  if (stat) {
    if (isZombie(stat)) return 'dead';
    const bootMs = bootTimeMs();
    // Linux reports start times in USER_HZ ticks, 100 a second on every architecture Node runs on.
    if (bootMs !== undefined && bootMs + Number(stat.started) * 10 > writtenAtMs + 2_000) {
      return 'dead';
    }
    return 'alive';
  }
  if (currentOwner().pidNamespace !== undefined) return 'dead'; // /proc works: no such process
  return pidExists(pid) ? 'alive' : 'dead';
}

function isZombie(stat: ProcStat): boolean {
  return stat.state === 'Z' || stat.state === 'X' || stat.state === 'x';
}

/** `/proc/<pid>/stat`, or `undefined` when there is no such process (or no `/proc`). */
function procStat(pid: number): ProcStat | undefined {
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  const text = readProc(() => readFileSync(`/proc/${pid}/stat`, 'utf8'));
  if (text === undefined) return undefined;
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const started = fields[19];
  return state && started ? { state, started } : undefined;
}

function bootTimeMs(): number | undefined {
  const text = readProc(() => readFileSync('/proc/stat', 'utf8'));
  const seconds = text?.match(/^btime (\d+)$/m)?.[1];
  return seconds === undefined ? undefined : Number(seconds) * 1000;
}

function readProc<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined; // not Linux, no /proc mounted, or no such process
  }
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
