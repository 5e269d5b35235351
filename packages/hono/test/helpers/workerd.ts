import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

// workerd's main module is CommonJS with `exports.default` = the binary's path: required, so that
// the path is the same under vitest and plain Node (whose default import is the exports object).
const workerd = createRequire(import.meta.url)('workerd') as {
  default: string;
  compatibilityDate: string;
};

/** A worker running on workerd, Cloudflare's Workers runtime, listening on 127.0.0.1. */
export interface RunningWorker {
  url: string;
  /** What workerd wrote to stdout and stderr (console.log and console.warn of the worker). */
  output(): string;
  close(): Promise<void>;
}

/**
 * Bundles `entry` with esbuild as Wrangler does (ESM, workerd conditions) and serves it with
 * workerd on a port the OS picks (workerd writes it to its control fd), with `bindings` as its
 * env's text bindings and its outbound `fetch` allowed to loopback, to reach the devserver.
 */
export async function startWorker(
  entry: string,
  bindings: Record<string, string>,
): Promise<RunningWorker> {
  const dir = await mkdtemp(join(tmpdir(), 'datafast-hono-workerd-'));
  await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    target: 'es2022',
    outfile: join(dir, 'worker.js'),
    external: ['cloudflare:*'],
    logLevel: 'silent',
  });
  await writeFile(join(dir, 'config.capnp'), config(workerd.compatibilityDate, bindings));
  const child = spawn(workerd.default, ['serve', 'config.capnp', '--control-fd=3', '--verbose'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const close = async () => {
    await stop(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const port = await listeningPort(child, () => output);
    return { url: `http://127.0.0.1:${port}`, output: () => output, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function config(date: string, bindings: Record<string, string>): string {
  const texts = Object.entries(bindings).map(
    ([name, text]) => `(name = "${name}", text = ${JSON.stringify(text)})`,
  );
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "loopback", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "${date}",
  globalOutbound = "loopback",
  bindings = [${texts.join(', ')}],
);
`;
}

/** The port from workerd's `{"event":"listen","socket":"http","port":…}` on the control fd. */
function listeningPort(child: ChildProcess, output: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const control = child.stdio[3] as NodeJS.ReadableStream;
    control.on('data', (chunk) => {
      buffered += chunk;
      for (const line of buffered.split('\n')) {
        const event = line.trim() ? (JSON.parse(line) as { event?: string; port?: number }) : {};
        if (event.event === 'listen' && event.port) resolve(event.port);
      }
    });
    child.once('exit', (code) => reject(new Error(`workerd exited (${code}):\n${output()}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
