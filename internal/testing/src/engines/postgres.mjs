// A real PostgreSQL server for tests and the bench, from the distribution's own binaries (Debian's
// `postgresql` package, which .ci/run installs when missing): initdb into a temporary directory,
// then `postgres` on 127.0.0.1 at a free port with trust authentication. Plain JavaScript with its
// types beside it (postgres.d.mts), so that the bench's .mjs runs it too.
//
// PostgreSQL refuses to run as root: as root, both run as the `postgres` system user, in a
// directory it owns. The server leads a process group of its own (its backends are in it), so a
// crash is one SIGKILL of the group; a watcher kills that group when the test process dies
// without closing it (its stdin, a pipe from the test process, reaches end of file).
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Settings for speed, where no test needs the data to survive a crash of the server. */
const fastSettings = ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'];
/**
 * Settings every server gets: loopback TCP only, small memory (several suites run at once on a
 * small machine), and enough connections for three apps' pools and the tests' own.
 */
const commonSettings = [
  'listen_addresses=127.0.0.1',
  'unix_socket_directories=',
  'shared_buffers=16MB',
  'max_connections=200',
  'log_min_messages=warning',
];

/** The newest PostgreSQL's `bin` folder (`POSTGRES_BIN_DIR` wins). */
function binDir() {
  const fromEnv = process.env.POSTGRES_BIN_DIR;
  if (fromEnv) return fromEnv;
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((name) => existsSync(join(base, name, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(
      'PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): `apt-get install postgresql`, as .ci/run does, or set POSTGRES_BIN_DIR',
    );
  }
  return join(base, versions[0], 'bin');
}

/** The uid and gid to run PostgreSQL as: the `postgres` user when we are root, else ourselves. */
function runAs() {
  if (process.getuid?.() !== 0) return {};
  const id = (flag) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout);
  const uid = id('-u');
  const gid = id('-g');
  if (!uid || !gid)
    throw new Error('running as root, and there is no `postgres` user to run PostgreSQL as');
  return { uid, gid };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a PostgreSQL server on 127.0.0.1 and resolves once it accepts connections.
 *
 * @param {{ durable?: boolean }} [options]
 * @example
 * const engine = await startPostgres(); new pg.Pool({ connectionString: engine.url }); await engine.close()
 */
export async function startPostgres(options = {}) {
  const bin = binDir();
  const user = runAs();
  const base = mkdtempSync(join(tmpdir(), 'datafast-postgres-'));
  if (user.uid !== undefined) chownSync(base, user.uid, user.gid);
  const data = join(base, 'data');
  const init = spawnSync(
    join(bin, 'initdb'),
    ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'],
    { cwd: base, encoding: 'utf8', ...user },
  );
  if (init.status !== 0) {
    rmSync(base, { recursive: true, force: true });
    throw new Error(`initdb failed (${init.status ?? init.signal}):\n${init.stdout}${init.stderr}`);
  }
  const port = await freePort();
  const settings = [...commonSettings, ...(options.durable ? [] : fastSettings), `port=${port}`];
  let output = '';
  let server;
  let watcher;

  async function start() {
    const child = spawn(
      join(bin, 'postgres'),
      ['-D', data, ...settings.flatMap((setting) => ['-c', setting])],
      { cwd: base, stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...user },
    );
    const exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    server = { child, exited };
    // Dies with the test process: end of file on its stdin (the test process's end of the pipe
    // closes with it) kills the server's group and deletes its files.
    const cleanUp = `read _; kill -KILL -${child.pid} 2>/dev/null; sleep 1; rm -rf '${base}'`;
    watcher = spawn('sh', ['-c', cleanUp], {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
    });
    watcher.unref();
    watcher.stdin.unref?.();
    watcher.stdin.on('error', () => {});
    const from = output.length;
    const ready = new Promise((resolve, reject) => {
      const onData = (chunk) => {
        output += chunk;
        if (output.includes('database system is ready to accept connections', from)) resolve();
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      exited.then(({ code, signal }) =>
        reject(new Error(`postgres exited (${code ?? signal}) before it was ready:\n${output}`)),
      );
    });
    await ready;
  }

  function signalGroup(name) {
    try {
      process.kill(-server.child.pid, name);
    } catch {
      // The group is gone already.
    }
  }

  function stopWatcher() {
    watcher?.kill('SIGKILL');
    watcher = undefined;
  }

  try {
    await start();
  } catch (error) {
    rmSync(base, { recursive: true, force: true });
    throw error;
  }

  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    output: () => output,
    async crash() {
      signalGroup('SIGKILL');
      await server.exited;
      stopWatcher();
    },
    start: () => start(),
    async stop() {
      // Fast shutdown (the postmaster's SIGINT): open connections are ended, the data is kept.
      server.child.kill('SIGINT');
      await server.exited;
      stopWatcher();
    },
    async close() {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        // Fast shutdown (the postmaster's SIGINT): open connections are ended, then it exits.
        server.child.kill('SIGINT');
        const killer = setTimeout(() => signalGroup('SIGKILL'), 10_000);
        await server.exited;
        clearTimeout(killer);
      }
      stopWatcher();
      rmSync(base, { recursive: true, force: true });
    },
  };
}
