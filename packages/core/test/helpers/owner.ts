import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The fixture that owns an outbox in its own process (see the script's header). */
export const ownerScript = fileURLToPath(new URL('../fixtures/outbox-owner.mjs', import.meta.url));

/** A running `outbox-owner.mjs`, its output read line by line. */
export interface OwnerProcess {
  child: ChildProcess;
  /** Resolves with the first line not yet taken that matches, in the order printed. */
  next(pattern: RegExp): Promise<RegExpExecArray>;
  send(command: string): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

/**
 * Starts the owner fixture on `dir`: `node outbox-owner.mjs dir ...args`, or with `prefix` in
 * front (`['unshare', '--pid', ...]`, `['sh', '-c', ...]` through {@link ownerCommand}).
 */
export function startOwner(dir: string, args: string[] = [], prefix: string[] = []): OwnerProcess {
  const command = [...prefix, process.execPath, ownerScript, dir, ...args];
  const child = spawn(command[0] as string, command.slice(1), {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return follow(child);
}

/** Follows an already started process that prints the owner fixture's lines. */
export function follow(child: ChildProcess): OwnerProcess {
  let text = '';
  let pending = '';
  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (match: RegExpExecArray) => void }> = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const deliver = () => {
    for (const waiter of [...waiters]) {
      const index = lines.findIndex((line) => waiter.pattern.test(line));
      if (index === -1) continue;
      const [line] = lines.splice(index, 1);
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(waiter.pattern.exec(line as string) as RegExpExecArray);
    }
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk;
    pending += chunk;
    const complete = pending.split('\n');
    pending = complete.pop() ?? '';
    lines.push(...complete);
    deliver();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    text += chunk;
  });
  child.stdin?.on('error', () => {}); // a command sent to a process that just died
  return {
    child,
    exited,
    output: () => text,
    send: (command) => child.stdin?.write(`${command}\n`),
    next(pattern) {
      return new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve });
        deliver();
        exited.then(({ code, signal }) =>
          reject(new Error(`exited (${code ?? signal}) before printing ${pattern}:\n${text}`)),
        );
      });
    },
  };
}

/** Resolves once `pid` is a zombie: dead, and not reaped by its parent. */
export async function becomesZombie(pid: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return;
    if (Date.now() > deadline) throw new Error(`process ${pid} did not become a zombie: ${stat}`);
    // /proc has no event for a state change: look again shortly.
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
