import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type RunningApp, startApp } from '@datafast-checkout/testing';
import { capture } from './capture.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
/** The Express example, run exactly as users run it: `node server.js` in its folder. */
export const expressExampleDir = `${root}examples/express-checkout`;
const fixtures = fileURLToPath(new URL('../../fixtures/', import.meta.url));

/**
 * Starts the Express example on a free port with `env` added; what it prints is captured for
 * the secret scan when it stops (call `capture` through {@link keepOutput} for one killed with a
 * signal the test sends itself).
 */
export async function startExpressExample(
  source: string,
  env: Record<string, string | undefined>,
): Promise<RunningApp> {
  const app = await startApp({
    command: process.execPath,
    args: ['server.js'],
    cwd: expressExampleDir,
    env: { DATAFAST_SCRIPT_WEBSITE_ID: undefined, ...env },
  });
  keepOutput(source, app.process, app.output);
  return app;
}

/**
 * Starts the Express example as a deploy does: `npm run start` in its folder, the leader of a
 * process group of its own (npm, the shell it runs the script with, and `node server.js`), so
 * that `process.kill(-app.process.pid, signal)` reaches all three, as `docker stop` or a
 * supervisor does.
 */
export async function startExpressExampleWithNpm(
  source: string,
  env: Record<string, string | undefined>,
): Promise<RunningApp> {
  const app = await startApp({
    command: 'npm',
    args: ['run', 'start'],
    cwd: expressExampleDir,
    env: {
      DATAFAST_SCRIPT_WEBSITE_ID: undefined,
      npm_config_update_notifier: 'false', // no registry lookup at each start
      ...env,
    },
    processGroup: true,
  });
  keepOutput(source, app.process, app.output);
  return app;
}

/** Captures everything `child` printed once it exits. */
export function keepOutput(source: string, child: ChildProcess, output: () => string): void {
  child.once('exit', () => capture(source, output()));
}

/** How a child ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A fixture script (fixtures/*.mjs) running in its own Node process, with an IPC channel. */
export interface Fixture {
  child: ChildProcess;
  /** Resolves with the next IPC message of this `type` the fixture sends. */
  next<T = Record<string, unknown>>(type: string): Promise<T>;
  send(message: Record<string, unknown>): void;
  /** Resolves once the process has exited. */
  exited: Promise<Exit>;
  output(): string;
}

/**
 * Runs `fixtures/<script>` with `env` added and `execArgv` (e.g. `--expose-gc`). Messages are
 * `{ type, ... }` objects; its output is captured for the secret scan when it exits.
 */
export function startFixture(
  script: string,
  env: Record<string, string>,
  execArgv: string[] = [],
): Fixture {
  let output = '';
  const child = fork(`${fixtures}${script}`, [], {
    env: { ...process.env, ...env },
    execArgv,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  keepOutput(script, child, () => output);
  const waiting = new Map<string, Array<(message: Record<string, unknown>) => void>>();
  const inbox: Record<string, unknown>[] = [];
  child.on('message', (message: Record<string, unknown>) => {
    const waiter = waiting.get(String(message.type))?.shift();
    if (waiter) waiter(message);
    else inbox.push(message);
  });
  return {
    child,
    exited,
    output: () => output,
    send: (message) => child.send(message),
    next<T>(type: string) {
      const queued = inbox.findIndex((message) => message.type === type);
      if (queued !== -1) return Promise.resolve(inbox.splice(queued, 1)[0] as T);
      return new Promise<T>((resolve, reject) => {
        const list = waiting.get(type) ?? [];
        list.push(resolve as (message: Record<string, unknown>) => void);
        waiting.set(type, list);
        exited.then(({ code, signal }) =>
          reject(
            new Error(`${script} exited (${code ?? signal}) before sending "${type}":\n${output}`),
          ),
        );
      });
    },
  };
}

/** Resolves when `child` exits, or rejects after `timeoutMs` (then kills it). */
export function exitOf(child: ChildProcess, timeoutMs: number): Promise<Exit> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`process ${child.pid} did not exit within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}
