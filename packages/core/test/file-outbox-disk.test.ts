import { execFileSync } from 'node:child_process';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FileOutbox, fileOutbox } from '../src/file-outbox.js';
import type { OutboxEntry } from '../src/index.js';

// A full disk, for real: a 16 KiB tmpfs mounted for each test (the tests run as root, as
// `.ci/run` does), unmounted after it.

const cleanup: Array<() => unknown> = [];
afterEach(() => {
  const failures: unknown[] = [];
  for (const step of cleanup.splice(0).reverse()) {
    try {
      step();
    } catch (error) {
      failures.push(error); // and go on: the filesystem is unmounted whatever happened
    }
  }
  if (failures.length > 0) throw failures[0];
});

/** A fresh 16 KiB filesystem; returns its mount point. */
function smallDisk(): string {
  const mountPoint = mkdtempSync(join(tmpdir(), 'datafast-small-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k,mode=700', 'tmpfs', mountPoint]);
  cleanup.push(() => {
    execFileSync('umount', [mountPoint]);
    rmdirSync(mountPoint);
  });
  return mountPoint;
}

/** More room on the same filesystem, as when another program's files are deleted. */
function grow(mountPoint: string): void {
  execFileSync('mount', ['-o', 'remount,size=64k', mountPoint]);
}

/** Takes every free block of the filesystem with another program's file; returns its path. */
function fill(mountPoint: string, name = 'another-program.bin'): string {
  const path = join(mountPoint, name);
  const fd = openSync(path, 'w');
  try {
    const block = new Uint8Array(512);
    for (;;) writeSync(fd, block);
  } catch (error) {
    expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
  } finally {
    closeSync(fd);
  }
  return path;
}

function open(dir: string, options?: Parameters<typeof fileOutbox>[1]): FileOutbox {
  const outbox = fileOutbox(dir, options);
  cleanup.push(() => outbox.close());
  return outbox;
}

/** What a later process finds in the directory. */
function storedIn(dir: string): string[] {
  const next = fileOutbox(dir);
  try {
    return next.list().map((e) => e.id);
  } finally {
    next.close();
  }
}

// Entries of varying length, so that the disk fills up in the middle of one.
function entry(id: string, i: number): OutboxEntry {
  return {
    id,
    body: {
      amount: 29.99,
      currency: 'USD',
      transaction_id: id,
      email: `buyer-${'x'.repeat((i * 37) % 90)}@example.com`,
      timestamp: '2026-11-23T12:00:00.000Z',
    },
    createdAt: 1_767_225_600_000 + i,
  };
}

describe('the file outbox on a full disk', () => {
  it('never counts a write cut short by a full disk as stored, nor glues the next entry onto it', () => {
    const disk = smallDisk();
    const dir = join(disk, 'outbox');
    const outbox = open(dir);
    const acknowledged: string[] = [];
    let refusal: unknown;
    for (let i = 0; i < 1_000 && !refusal; i++) {
      try {
        outbox.put(entry(`txn_${i}`, i));
        acknowledged.push(`txn_${i}`);
      } catch (error) {
        refusal = error;
      }
    }
    expect((refusal as NodeJS.ErrnoException).code).toBe('ENOSPC');
    expect(acknowledged.length).toBeGreaterThan(10);

    // Room again: the next report is stored whole, not onto the remains of the refused one.
    grow(disk);
    outbox.put(entry('txn_after_room', 1_000));
    acknowledged.push('txn_after_room');
    outbox.close();

    expect(storedIn(dir)).toEqual(acknowledged);
  });

  it('starts on a full disk, leaves nothing behind, refuses puts, and stores again once there is room', () => {
    const disk = smallDisk();
    const dir = join(disk, 'outbox');
    const first = open(dir);
    first.put(entry('txn_before_1', 1));
    first.put(entry('txn_before_2', 2));
    first.close();
    const anotherProgram = fill(disk);

    const outbox = open(dir);
    expect(outbox.list().map((e) => e.id)).toEqual(['txn_before_1', 'txn_before_2']);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    // Taking the lock over freed the previous lock file's block: fill that too.
    const stillMore = fill(disk, 'another-program-2.bin');
    expect(() => outbox.put(entry('txn_while_full', 3))).toThrow(/ENOSPC/);

    rmSync(anotherProgram);
    rmSync(stillMore);
    outbox.put(entry('txn_with_room', 4));
    outbox.close();
    expect(storedIn(dir)).toEqual(['txn_before_1', 'txn_before_2', 'txn_with_room']);
  });

  it('never writes through a descriptor it let go of when reclaiming space fails (ENOSPC)', () => {
    const disk = smallDisk();
    const dir = join(disk, 'outbox');
    const outbox = open(dir, { compactAfter: 1 });
    outbox.put(entry('txn_a', 1));
    outbox.put(entry('txn_b', 2));
    outbox.put(entry('txn_c', 3));
    const anotherProgram = fill(disk);
    // Delivered: dead lines now outnumber live ones, so space is reclaimed, which needs room.
    for (const id of ['txn_a', 'txn_b']) {
      try {
        outbox.delete(id);
      } catch {
        // A delete that cannot be written is only one more delivery after a restart.
      }
    }

    // A file opened now gets the lowest free descriptor number: one the log may have closed.
    const unrelated = join(mkdtempSync(join(tmpdir(), 'datafast-unrelated-')), 'socket-stand-in');
    const fd = openSync(unrelated, 'w');
    cleanup.push(() => rmSync(join(unrelated, '..'), { recursive: true }));
    let stored = false;
    try {
      outbox.put(entry('txn_d', 4));
      stored = true;
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
    }
    // Nothing of a customer's went to the other file, and its descriptor is still its own.
    expect(readFileSync(unrelated, 'utf8')).toBe('');
    expect(() => closeSync(fd)).not.toThrow();

    rmSync(anotherProgram);
    outbox.put(entry('txn_e', 5));
    outbox.close();
    expect(storedIn(dir)).toEqual(stored ? ['txn_c', 'txn_d', 'txn_e'] : ['txn_c', 'txn_e']);
  });
});
