import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/datafast-devserver.js', import.meta.url));

/** The built CLI running as a child process. */
export interface Run {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

const running: ChildProcess[] = [];

/**
 * Runs `datafast-devserver` with these arguments, in `cwd` (default this process's), with this
 * process's environment plus `env`.
 */
export function run(args: string[], cwd?: string, env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
    ...(cwd ? { cwd } : {}),
  });
  running.push(child);
  let text = '';
  child.stdout?.on('data', (chunk) => {
    text += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    text += chunk;
  });
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  return { child, output: () => text, exit };
}

/** Resolves once `pattern` appears in the output; rejects if the CLI exits first. */
export async function printed(r: Run, pattern: RegExp): Promise<RegExpExecArray> {
  while (true) {
    const match = pattern.exec(r.output());
    if (match) return match;
    const outcome = await Promise.race([
      once(r.child.stdout as NodeJS.ReadableStream, 'data').then(() => 'data'),
      r.exit.then(() => 'exit'),
    ]);
    if (outcome === 'exit')
      throw new Error(`the CLI exited before printing ${pattern}:\n${r.output()}`);
  }
}

/** Resolves with the URL once the banner is printed. */
export async function started(r: Run): Promise<string> {
  return (await printed(r, /Listening on\s+(http:\/\/\S+)/))[1] as string;
}

/** Kills what a test left running (for afterEach). */
export function killRunning(): void {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
}
