// Row 5: what each package costs to ship and to load. Size: each ESM entry bundled with what it
// imports of ours (peers and Node built-ins left out), minified by esbuild and gzipped at level
// 9; an adapter's "beyond core" is its bundle less core's, both whole (lazy imports inlined).
// Core's own row bundles with code splitting, as an app's bundler does, and counts what an app
// loads eagerly (the entry and every chunk it imports statically); the chunks it imports lazily
// (loaded only when an app uses what they hold) are a row of their own, so nothing is hidden. Start-up: a fresh Node process that
// imports the entry, against one that imports an empty module, 20 of each, interleaved.
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { cores } from '../lib/processes.mjs';
import { interleaved, median } from '../lib/stats.mjs';
import { duration, row } from '../lib/table.mjs';

const bench = fileURLToPath(new URL('..', import.meta.url));
const peers = [
  'express',
  'next',
  'next/*',
  '@sveltejs/kit',
  '@sveltejs/kit/*',
  'hono',
  'hono/*',
  'fastify',
  'h3',
  'astro',
  'astro/*',
  'stripe',
];

/**
 * Minified and gzipped bytes of one entry, with everything of ours it imports; `names`: only
 * those exports (what a bundler keeps of an app that imports just them), beside all of core.
 */
async function gzippedSize(specifier, names) {
  const contents = names
    ? `export { ${names} } from '${specifier}'; export * from '@datafast-checkout/core';`
    : `export * from '${specifier}';`;
  const result = await build({
    stdin: { contents, resolveDir: bench, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    external: peers,
    write: false,
    logLevel: 'silent',
  });
  return gzipSync(result.outputFiles[0].contents, { level: 9 }).length;
}

/**
 * An entry bundled with code splitting: the gzipped bytes an app loads eagerly (the entry chunk
 * and the chunks it imports statically, gzipped together, as one bundle would be) and those of
 * the chunks it imports lazily (together too).
 */
async function splitSizes(specifier) {
  const result = await build({
    stdin: { contents: `export * from '${specifier}';`, resolveDir: bench, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    external: peers,
    splitting: true,
    outdir: join(tmpdir(), 'datafast-checkout-size'),
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const outputs = result.metafile.outputs;
  const contents = (name) =>
    result.outputFiles.find((output) => output.path === resolve(name)).contents;
  const gzipped = (names) => gzipSync(Buffer.concat(names.map(contents)), { level: 9 }).length;
  const eager = new Set();
  // The lazily imported chunks are entry points of their own: start from the app's entry only.
  const pending = Object.keys(outputs).filter((name) => outputs[name].entryPoint === '<stdin>');
  while (pending.length > 0) {
    const name = pending.pop();
    if (eager.has(name) || !outputs[name]) continue;
    eager.add(name);
    for (const imported of outputs[name].imports) {
      if (imported.kind === 'import-statement') pending.push(imported.path);
    }
  }
  const chunks = Object.keys(outputs).filter((name) => name.endsWith('.js'));
  return {
    eager: gzipped(chunks.filter((name) => eager.has(name))),
    lazy: gzipped(chunks.filter((name) => !eager.has(name))),
  };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;

export async function sizeRows({ rounds }) {
  // The adapters' "beyond core" subtracts the whole of core, as their own bundles hold it.
  const core = await gzippedSize('@datafast-checkout/core');
  const split = await splitSizes('@datafast-checkout/core');
  const rows = [
    row({
      id: '5a',
      title:
        '`@datafast-checkout/core` main entry as an app loads it: ESM, code-split, the entry and the chunks it imports statically, minified + gzipped together',
      baseline: '6 KB (goal)',
      measured: kb(split.eager),
      ratios: [split.eager / 6144],
      unit: 'x',
      goal: '≤ 6 KB',
      met: split.eager <= 6144,
    }),
    row({
      id: '5a+',
      title:
        "`@datafast-checkout/core` chunks the main entry imports lazily (the delivery engine; the outbox's sweep, leases and drain; `payments.delete`; the API-key walk over a failed request's error), minified + gzipped together: loaded only when used",
      baseline: `${kb(split.eager)} (eager)`,
      measured: `+${kb(split.lazy)}`,
      ratios: [split.lazy / split.eager],
      unit: 'x',
      goal: 'none (ratio to the eager part)',
    }),
  ];
  // Issue 23's goal is on the reporting path (the `-` rows): a whole adapter entry also carries
  // the tracker proxy, which only an app that mounts it loads, so it is a reference row. One
  // adapter is two entries: its whole entry, and its reporting names. The adapters of issue 26
  // took the next free letters (5m on), and stand here beside the first three.
  const adapter = (id, specifier, names) => [
    [id, specifier, undefined, undefined, true],
    [`${id}-`, specifier, 512, names],
  ];
  const adapters = [
    ...adapter('5b', '@datafast-checkout/express', 'datafast, getDatafast'),
    ...adapter('5c', '@datafast-checkout/next', 'withDatafast, withDatafastApi, getDatafast'),
    ...adapter('5d', '@datafast-checkout/sveltekit', 'datafast, getDatafast'),
    ...adapter('5m', '@datafast-checkout/hono', 'datafast, getDatafast'),
    ...adapter('5n', '@datafast-checkout/fastify', 'datafast, getDatafast'),
    // Nuxt's runtime names are in `/server` (the package's root is the Nuxt module, build time).
    ...adapter('5o', '@datafast-checkout/nuxt/server', 'datafast, getDatafast'),
    ...adapter('5p', '@datafast-checkout/astro', 'datafast, getDatafast'),
    ['5e', '@datafast-checkout/payment-links', undefined],
    ['5f', '@datafast-checkout/payment-links/stripe', undefined],
  ];
  for (const [id, specifier, goal, names, withProxy] of adapters) {
    const beyond = (await gzippedSize(specifier, names)) - core;
    const entry = withProxy ? 'ESM entry (with the tracker proxy)' : 'ESM entry';
    const what = names ? `reporting alone (\`${names}\`, tree-shaken)` : entry;
    rows.push(
      row({
        id,
        title: `\`${specifier}\` ${what} beyond core, minified + gzipped`,
        baseline: `${kb(core)} (core)`,
        measured: `+${kb(beyond)}`,
        ratios: [beyond / (goal ?? core)],
        unit: 'x',
        goal: goal ? '< 0.5 KB beyond core' : 'none (ratio to core)',
        met: goal ? beyond < goal : null,
      }),
    );
  }
  const browser = await gzippedSize('@datafast-checkout/payment-links/browser');
  rows.push(
    row({
      id: '5g',
      title: '`@datafast-checkout/payment-links/browser` link decorator, minified + gzipped',
      baseline: '1 KB (goal)',
      measured: kb(browser),
      ratios: [browser / 1024],
      unit: 'x',
      goal: '< 1 KB',
      met: browser < 1024,
    }),
  );
  rows.push(...(await importRows(rounds)));
  return rows;
}

/** ms from spawning `node` to its exit, for a process that imports `specifier`. */
function processMs(specifier) {
  const start = performance.now();
  const result = spawnSync(
    'taskset',
    [
      '-c',
      String(cores.server),
      'node',
      '--input-type=module',
      '-e',
      `await import(${JSON.stringify(specifier)})`,
    ],
    { cwd: bench, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`importing ${specifier} failed:\n${result.stderr}`);
  return performance.now() - start;
}

async function importRows() {
  const empty = 'data:text/javascript,';
  const entries = [
    ['5h', '@datafast-checkout/core'],
    ['5i', '@datafast-checkout/express'],
    ['5j', '@datafast-checkout/next'],
    ['5k', '@datafast-checkout/sveltekit'],
    ['5l', '@datafast-checkout/payment-links/stripe'],
  ];
  const runs = await interleaved(
    20,
    [empty, ...entries.map(([, specifier]) => specifier)],
    processMs,
  );
  return entries.map(([id, specifier]) =>
    row({
      id,
      title: `import \`${specifier}\` in a fresh Node process vs an empty module (20 runs)`,
      baseline: duration(median(runs[empty])),
      measured: duration(median(runs[specifier])),
      ratios: runs[specifier].map((ms, i) => ms / runs[empty][i]),
      unit: 'x',
      goal: specifier.endsWith('/next') ? 'none (loads `next/server`)' : 'none (was about 1.05x)',
    }),
  );
}
