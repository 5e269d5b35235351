import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getFreePort } from '../../../../packages/devserver/src/testing/index.js';

/** Options of {@link startRedis}. */
export interface StartRedisOptions {
  /**
   * Every write is in the append-only file, fsynced, before Redis answers it (`--appendonly yes
   * --appendfsync always`): what a test that kills Redis and expects nothing lost needs. Default
   * `true`; `false` runs with no persistence at all (a cache).
   */
  durable?: boolean;
  /** Clients must `AUTH` with this password (`--requirepass`). */
  password?: string;
}

/** A real `redis-server` on 127.0.0.1 that a test started, with its own data folder. */
export interface RedisEngine {
  /** `redis://127.0.0.1:<port>`, with the password when there is one. */
  url: string;
  port: number;
  /** Its data folder (the append-only files): kept across {@link kill} and {@link restart}. */
  dir: string;
  /** The running server process. */
  process(): ChildProcess;
  /** SIGKILL, as a crash or an OOM kill: no shutdown, no save. Resolves once it has exited. */
  kill(): Promise<void>;
  /** Starts it again on the same port and folder: it reloads what its append-only file holds. */
  restart(): Promise<void>;
  /** Teardown: stops it (SIGKILL) and deletes its folder. */
  stop(): Promise<void>;
}

/**
 * Starts Debian's `redis-server` (`.ci/run` installs it when missing) on 127.0.0.1 at a free
 * port, in a fresh temporary folder, and resolves once it accepts connections.
 *
 * @example
 * const redis = await startRedis();
 * afterAll(() => redis.stop());
 */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'datafast-redis-'));
  const durability =
    (options.durable ?? true)
      ? ['--appendonly', 'yes', '--appendfsync', 'always']
      : ['--appendonly', 'no'];
  const auth = options.password === undefined ? [] : ['--requirepass', options.password];
  let port = 0;
  let child: ChildProcess | undefined;
  // A free port can be taken by another suite between the check and Redis's bind: try again.
  for (let attempt = 1; child === undefined; attempt++) {
    port = await getFreePort();
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--daemonize',
      'no',
      ...durability,
      ...auth,
    ];
    try {
      child = await launch(args);
    } catch (error) {
      if (attempt >= 5) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
  let running: ChildProcess = child;
  const args = running.spawnargs.slice(1);
  const killOnExit = () => running.kill('SIGKILL');
  process.once('exit', killOnExit);

  const kill = async () => {
    if (running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  const password = options.password === undefined ? '' : `:${options.password}@`;
  return {
    url: `redis://${password}127.0.0.1:${port}`,
    port,
    dir,
    process: () => running,
    kill,
    async restart() {
      await kill();
      running = await launch(args);
    },
    async stop() {
      process.removeListener('exit', killOnExit);
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Spawns redis-server with `args`; resolves once it logs that it accepts connections. */
function launch(args: string[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) {
        child.stdout?.removeListener('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(new Error(`redis-server exited (${code ?? signal}) before it was ready:\n${output}`)),
    );
  });
}
