// A real redis-server for the Redis outbox row (Debian's package, as `.ci/run` installs it), on
// a free port, in a temporary folder, durable as the package's README asks (every write in the
// append-only file, fsynced, before Redis answers), pinned to the load generator's core.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cores, freePort, startPinned } from './processes.mjs';

/** Starts redis-server; resolves `{ url, stop() }` once it accepts connections. */
export async function startRedisServer() {
  const dir = mkdtempSync(join(tmpdir(), 'datafast-bench-redis-'));
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''];
  const durable = ['--appendonly', 'yes', '--appendfsync', 'always'];
  const server = await startPinned(
    'redis-server',
    cores.client,
    'redis-server',
    [...args, ...durable],
    {
      ready: (child) =>
        new Promise((resolve) => {
          let seen = '';
          child.stdout.on('data', (chunk) => {
            seen += chunk;
            if (seen.includes('Ready to accept connections')) resolve();
          });
        }),
    },
  );
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
