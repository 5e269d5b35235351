// The bench apps of bench/apps: built when their sources or the packages they bundle changed,
// and started pinned to the server core, one process per variant.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cores, freePort, startPinned, untilAnswers } from './processes.mjs';

const bench = fileURLToPath(new URL('..', import.meta.url));
const apps = join(bench, 'apps');
const packages = join(bench, '..', 'packages');
const require = createRequire(import.meta.url);
const nextBin = join(require.resolve('next/package.json'), '..', 'dist/bin/next');
const binOf = (name) => join(bench, 'node_modules/.bin', name);

/** Hash of every file under `paths` (skipping build output): what a build depends on. */
function hashOf(paths) {
  const hash = createHash('sha256');
  const visit = (path) => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) {
        if (['node_modules', '.next', '.svelte-kit', 'build'].includes(name)) continue;
        visit(join(path, name));
      }
      return;
    }
    hash.update(path).update(readFileSync(path));
  };
  for (const path of paths) visit(path);
  return hash.digest('hex');
}

/**
 * Builds an app unless its last build (recorded in `stamp`) had the same inputs. Returns the
 * seconds spent building (0 when reused).
 */
function buildOnce(name, inputs, stamp, command, args, cwd) {
  const hash = hashOf(inputs);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return 0;
  const started = performance.now();
  const result = spawnSync(command, args, {
    cwd,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(`building the ${name} bench app failed:\n${result.stdout}\n${result.stderr}`);
  }
  writeFileSync(stamp, hash);
  return (performance.now() - started) / 1000;
}

/** Builds the Next.js and SvelteKit bench apps when needed; resolves the seconds spent. */
export function buildApps() {
  const shared = [join(apps, 'checkout.mjs'), join(packages, 'core/dist')];
  const next = join(apps, 'next');
  const svelte = join(apps, 'sveltekit');
  let seconds = buildOnce(
    'Next.js',
    [next, ...shared, join(packages, 'next/dist')],
    join(next, '.next/bench-inputs'),
    process.execPath,
    [nextBin, 'build', next],
    bench,
  );
  seconds += buildOnce(
    'SvelteKit',
    [svelte, ...shared, join(packages, 'sveltekit/dist')],
    join(svelte, 'build/bench-inputs'),
    'sh',
    ['-c', `"${binOf('svelte-kit')}" sync && "${binOf('vite')}" build`],
    svelte,
  );
  return seconds;
}

/**
 * Starts one process of a bench app (`express`, `next`, `sveltekit`, `hono`, `fastify`, `h3`) on the
 * server core with `env` (the devserver's DATAFAST_* variables). Resolves
 * `{ url, cpuMs(), stop() }`.
 */
export async function startApp(framework, env = {}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const ready = () => untilAnswers(`${url}/bare`);
  const appEnv = { ...env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: url };
  const [command, args, cwd] = {
    express: ['node', [join(apps, 'express.mjs')], bench],
    next: [
      'node',
      [nextBin, 'start', join(apps, 'next'), '-p', String(port), '-H', '127.0.0.1'],
      bench,
    ],
    sveltekit: ['node', [join(apps, 'sveltekit/build')], bench],
    hono: ['node', [join(apps, 'hono.mjs')], bench],
    fastify: ['node', [join(apps, 'fastify.mjs')], bench],
    h3: ['node', [join(apps, 'h3.mjs')], bench],
  }[framework];
  const server = await startPinned(framework, cores.server, command, args, {
    env: appEnv,
    cwd,
    ready,
  });
  return { url, cpuMs: server.cpuMs, stop: server.stop, output: server.output };
}
