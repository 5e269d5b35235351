import { type ChildProcess, spawn } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { getFreePort } from './port.js';

/** How {@link startApp} starts an app. */
export interface StartAppOptions {
  /** Executable, e.g. `process.execPath` or a path in node_modules/.bin. */
  command: string;
  args?: string[];
  cwd: string;
  /** Added to the current environment; `PORT` is set for you. */
  env?: Record<string, string | undefined>;
  /**
   * The port (`PORT`) to start on. Default: a free one. Choose it with `getFreePort()` when
   * something must know the app's URL before it starts (a webhook endpoint, `ORIGIN`).
   */
  port?: number;
  /** Path polled until the app answers any HTTP status. Default `/`. */
  readyPath?: string;
  /** How long the app may take to answer. Default 60 s. */
  readyTimeoutMs?: number;
  /**
   * Starts the app as the leader of a process group of its own, as a terminal or a supervisor
   * runs `npm run start`: `stop()` then signals the whole group (npm, its shell and the app
   * behind them), and a test can crash it all at once with
   * `process.kill(-app.process.pid, 'SIGKILL')`. Default `false`.
   */
  processGroup?: boolean;
}

/** An app that {@link startApp} started and that answers HTTP. */
export interface RunningApp {
  url: string;
  port: number;
  /**
   * Everything the app printed so far (stdout and stderr), as text: colour codes a framework
   * prints when `FORCE_COLOR` is set are removed, so assertions match what a person reads.
   */
  output(): string;
  /** Stops the app (SIGTERM, then SIGKILL after 5 s) and resolves once it has exited. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  process: ChildProcess;
}

/**
 * Starts an app as a child process on a free port and resolves once it answers HTTP, so tests
 * drive the real thing (`next start`, `node build`, `node server.js`) over the network.
 *
 * @example
 * const app = await startApp({ command: process.execPath, args: ['server.js'], cwd }); await app.stop()
 */
export async function startApp(options: StartAppOptions): Promise<RunningApp> {
  const port = options.port ?? (await getFreePort());
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(options.command, options.args ?? [], {
    cwd: options.cwd,
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: '1',
      HOST: '127.0.0.1',
      HOSTNAME: '127.0.0.1',
      ...options.env,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.processGroup ?? false,
  });
  const signal = (name: NodeJS.Signals) => {
    if (!options.processGroup || child.pid === undefined) return void child.kill(name);
    try {
      process.kill(-child.pid, name);
    } catch {
      // The group is gone already.
    }
  };
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

  const app: RunningApp = {
    url,
    port,
    output: () => stripVTControlCharacters(output),
    process: child,
    async stop(name = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) {
        signal(name);
        const killer = setTimeout(() => signal('SIGKILL'), 5_000);
        const result = await exited;
        clearTimeout(killer);
        return result;
      }
      return exited;
    },
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`app exited before it answered (code ${child.exitCode}):\n${output}`);
    }
    try {
      await fetch(`${url}${options.readyPath ?? '/'}`, { signal: AbortSignal.timeout(2_000) });
      return app;
    } catch (error) {
      lastError = error;
      // Readiness probe: the next connection attempt is the event being waited for.
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await app.stop('SIGKILL');
  throw new Error(`app did not answer on ${url} in time (${String(lastError)}):\n${output}`);
}
