// Child processes pinned to one core, their CPU time, and their start and stop.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * The two cores the bench uses: servers under test run alone on `server`; the load generator,
 * the devserver and this process share `client`. On a machine with one core both are 0 (the
 * figures are then noisier, and RESULTS.md says how many cores there were).
 */
export const cores = (() => {
  const online = readFileSync('/sys/devices/system/cpu/online', 'utf8').trim();
  const last = Number(online.split(/[-,]/).at(-1));
  return { client: 0, server: last > 0 ? 1 : 0 };
})();

const clockTicks = 100; // USER_HZ: /proc reports CPU time in 1/100 s on Linux

/** CPU time (user + system, ms) of a process and all its descendants, from /proc. */
export function treeCpuMs(pid) {
  let ticks = 0;
  for (const id of [pid, ...descendants(pid)]) {
    try {
      // Fields after the command name (which may hold spaces): utime is the 12th, stime the 13th.
      const stat = readFileSync(`/proc/${id}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Exited in the meantime.
    }
  }
  return (ticks * 1000) / clockTicks;
}

function descendants(pid) {
  const found = [];
  let tasks = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return found;
  }
  for (const task of tasks) {
    let children = '';
    try {
      children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
    } catch {}
    for (const child of children ? children.split(' ') : []) {
      found.push(Number(child), ...descendants(Number(child)));
    }
  }
  return found;
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `command args` pinned to `core` with `taskset`, and resolves once `ready()` does.
 * Output is kept (the last 4 KB) and shown if the process fails to start or exits early.
 */
export async function startPinned(name, core, command, args, { env = {}, cwd, ready, ipc } = {}) {
  const child = spawn('taskset', ['-c', String(core), command, ...args], {
    cwd,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env },
    stdio: ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk).slice(-4096);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const failed = exited.then((code) => {
    throw new Error(`${name} exited (${code}) before it was ready:\n${output}`);
  });
  try {
    await Promise.race([ready(child), failed, timeout(60_000, `${name} did not start`)]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  failed.catch(() => {});
  return {
    name,
    child,
    pid: child.pid,
    output: () => output,
    cpuMs: () => treeCpuMs(child.pid),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      // Graceful first (next start and adapter-node finish their requests); then for sure.
      const stopped = await Promise.race([exited.then(() => true), delay(5_000).then(() => false)]);
      if (!stopped) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** Polls `url` until it answers 200 (a server started without IPC), for at most a minute. */
export async function untilAnswers(url) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {}
    await delay(100);
  }
}

export const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function timeout(ms, message) {
  return delay(ms).then(() => {
    throw new Error(message);
  });
}
