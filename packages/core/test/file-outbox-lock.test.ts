import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FileOutbox, fileOutbox } from '../src/file-outbox.js';
import type { OutboxEntry } from '../src/index.js';
import {
  becomesZombie,
  follow,
  type OwnerProcess,
  ownerScript,
  startOwner,
} from './helpers/owner.js';

// The directory's lock against real processes: a SIGKILLed owner left as a zombie, its pid taken
// by an unrelated process, four processes racing, an owner in another pid namespace (a restarted
// container), and an owner that stalls past its lease.

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'datafast-outbox-lock-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function open(dir: string): FileOutbox {
  const outbox = fileOutbox(dir);
  cleanup.push(() => outbox.close());
  return outbox;
}

function owner(dir: string, args: string[] = [], prefix: string[] = []): OwnerProcess {
  const process = startOwner(dir, args, prefix);
  cleanup.push(() => killed(process.child));
  return process;
}

async function killed(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

const ids = (outbox: FileOutbox) => outbox.list().map((e) => e.id);

function entry(id: string): OutboxEntry {
  return {
    id,
    body: { amount: 1, currency: 'USD', transaction_id: id, timestamp: '2026-11-23T12:00:00.000Z' },
    createdAt: Date.now(),
  };
}

/** Starts `sleep` as the process that gets `pid`, by setting the kernel's last pid (root). */
async function squat(pid: number): Promise<ChildProcess> {
  for (let attempt = 0; attempt < 200; attempt++) {
    writeFileSync('/proc/sys/kernel/ns_last_pid', String(pid - 1));
    const sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
    cleanup.push(() => killed(sleeper));
    if (sleeper.pid === pid) return sleeper;
    // Another process on the machine forked in between and took it: try again.
    await killed(sleeper);
  }
  throw new Error(`could not start a process with pid ${pid}`);
}

describe('the lock of a file outbox', () => {
  it('starts at once when the previous owner is a zombie (SIGKILLed, its parent not reaping it)', async () => {
    const dir = folder();
    // `sh` starts the owner in the background, then becomes `sleep`, which never reaps a child:
    // what a container without an init does to a killed process.
    const parent = spawn(
      'sh',
      [
        '-c',
        `"$0" "$1" "$2" --put txn_z1,txn_z2 & exec sleep 600`,
        process.execPath,
        ownerScript,
        dir,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    cleanup.push(() => killed(parent));
    const zombie = follow(parent);
    const pid = Number((await zombie.next(/^held (\d+)/))[1]);
    await zombie.next(/^done$/);
    process.kill(pid, 'SIGKILL');
    await becomesZombie(pid);

    expect(ids(open(dir))).toEqual(['txn_z1', 'txn_z2']);
  });

  it("starts at once when the previous owner's pid now belongs to an unrelated live process", async () => {
    const dir = folder();
    const first = owner(dir, ['--put', 'txn_r1']);
    const pid = Number((await first.next(/^held (\d+)/))[1]);
    await first.next(/^done$/);
    await killed(first.child); // and reaped: the pid is free again
    const unrelated = await squat(pid);
    expect(unrelated.pid).toBe(pid);

    expect(ids(open(dir))).toEqual(['txn_r1']);
  });

  it('refuses a live owner at once, naming its pid, and leaves it unharmed', async () => {
    const dir = folder();
    const live = owner(dir, ['--put', 'txn_l1']);
    const pid = Number((await live.next(/^held (\d+)/))[1]);
    await live.next(/^done$/);

    expect(() => fileOutbox(dir)).toThrow(`in use by process ${pid}`);
    live.send('put txn_l2');
    await live.next(/^stored txn_l2$/);
  });

  it('lets exactly one of four processes started together take over a stale lock, and loses no entry (60 trials)', async () => {
    // The directory a crashed owner left: a stale lock and three entries.
    const template = folder();
    const crashed = owner(template, ['--put', 'txn_old1,txn_old2,txn_old3']);
    await crashed.next(/^done$/);
    await killed(crashed.child);

    const overlaps: string[] = [];
    const lost: string[] = [];
    for (let trial = 0; trial < 60; trial++) {
      const dir = folder();
      cpSync(template, dir, { recursive: true });
      const racers = [0, 1, 2, 3].map((racer) =>
        owner(dir, ['--wait-go', '--put', `t${trial}_r${racer}_a,t${trial}_r${racer}_b`]),
      );
      await Promise.all(racers.map((racer) => racer.next(/^ready/)));
      for (const racer of racers) racer.send('go');
      const outcomes = await Promise.all(racers.map((racer) => racer.next(/^(held|refused)/)));
      const holders = racers.filter((_, i) => outcomes[i]?.[1] === 'held');
      const stored: string[] = ['txn_old1', 'txn_old2', 'txn_old3'];
      for (const holder of holders) {
        await holder.next(/^done$/);
        for (const line of holder.output().split('\n')) {
          if (line.startsWith('stored ')) stored.push(line.slice('stored '.length));
        }
      }
      if (holders.length !== 1) overlaps.push(`trial ${trial}: ${holders.length} holders`);
      // A crash of whoever holds it, then the next start.
      await Promise.all(racers.map((racer) => killed(racer.child)));
      const next = fileOutbox(dir);
      const kept = new Set(ids(next));
      next.close();
      lost.push(...stored.filter((id) => !kept.has(id)));
    }
    expect(overlaps).toEqual([]);
    expect(lost).toEqual([]);
  }, 180_000);

  it('waits out the lease of an owner in another pid namespace: refused while it renews, started within the lease once it is killed', async () => {
    const dir = folder();
    // A restarted container: its old pid namespace cannot be looked into from the new one.
    const other = owner(
      dir,
      ['--put', 'txn_ns1'],
      ['unshare', '--pid', '--fork', '--kill-child', '--mount-proc'],
    );
    expect((await other.next(/^held (\d+)/))[1]).toBe('1');
    await other.next(/^done$/);

    // Its pid means nothing here, but it renews its lease: a live owner.
    expect(() => fileOutbox(dir)).toThrow('in use by process 1');
    await killed(other.child);

    // No renewal any more: taken over once the lease lapses (5 s after the last one).
    const started = Date.now();
    const outbox = open(dir);
    expect(ids(outbox)).toEqual(['txn_ns1']);
    console.log(
      `[file-outbox] started ${Date.now() - started} ms after the owner in another pid namespace was killed`,
    );
  }, 60_000);

  it('a holder that stalled past its lease and was taken over stores nothing more', async () => {
    const dir = folder();
    const stalled = owner(
      dir,
      ['--put', 'txn_f1'],
      ['unshare', '--pid', '--fork', '--kill-child', '--mount-proc'],
    );
    await stalled.next(/^done$/);
    // Its event loop stops (a long synchronous task): no renewal for 8 s.
    stalled.send('stall 8000');
    await stalled.next(/^stalling$/);
    const taker = open(dir); // waits for the lease to lapse, then takes over
    taker.put(entry('txn_f2'));

    await stalled.next(/^resumed$/);
    stalled.send('put txn_f3');
    expect((await stalled.next(/^(stored|failed) txn_f3.*/))[0]).toMatch(
      /^failed txn_f3 .*taken over by another process/,
    );
    expect(ids(taker)).toEqual(['txn_f1', 'txn_f2']);
  }, 60_000);
});
