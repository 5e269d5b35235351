// `pnpm bench`: every benchmark against real peers on loopback, in one run. Each figure is a
// ratio (or a difference) to a baseline measured in the same run, in interleaved rounds, so it
// means the same on any machine. Prints one Markdown table and writes it to RESULTS.md with the
// machine it ran on. Measurements, not tests: a missed goal is reported, never an exit code.
// How each row is measured, and why a goal is missed: README.md beside this file.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release } from 'node:os';
import { buildApps } from './lib/apps.mjs';
import { startDevserver } from './lib/devserver.mjs';
import { cores } from './lib/processes.mjs';
import { markdownTable } from './lib/table.mjs';
import { backfillRows } from './rows/backfill.mjs';
import { coreRows } from './rows/core.mjs';
import { deliveryRows } from './rows/delivery.mjs';
import { insulationRows, postgresRows, serverlessRows } from './rows/latency.mjs';
import { middlewareRows } from './rows/middleware.mjs';
import { paceRows } from './rows/pace.mjs';
import { proxyRows } from './rows/proxy.mjs';
import { redisOutboxRows } from './rows/redis-outbox.mjs';
import { sizeRows } from './rows/size.mjs';
import { webhookRows } from './rows/webhooks.mjs';

const started = performance.now();
const loadAtStart = loadavg()[0];
// This process drives the load and shares its core with the devserver; servers under test get
// the other core to themselves (see lib/processes.mjs).
spawnSync('taskset', ['-a', '-p', '-c', String(cores.client), String(process.pid)]);

const log = (message) => process.stderr.write(`bench: ${message}\n`);

const sections = [
  ['0', 'core client', coreRows, { rounds: 5 }],
  ['1', 'middleware cost per adapter', middlewareRows, { rounds: 5 }],
  ['2', 'checkout latency with a slow, failing DataFast', insulationRows, { rounds: 5 }],
  ['3', 'delivery throughput and CPU', deliveryRows, { rounds: 5 }],
  ['4', 'Stripe webhooks', webhookRows, { rounds: 5 }],
  ['5', 'size and start-up', sizeRows, {}],
  ['6', 'serverless: Next.js after()', serverlessRows, { rounds: 5 }],
  ['7', 'same-origin tracker proxy', proxyRows, { rounds: 5 }],
  ['8', 'delivery pace under faults', paceRows, { rounds: 3 }],
  ['9', 'backfill', backfillRows, { rounds: 3 }],
  ['10a', 'checkout with the PostgreSQL outbox', postgresRows, { rounds: 5 }],
  ['10b', 'checkout with the Redis outbox', redisOutboxRows, { rounds: 5 }],
];
// `node bench/run.mjs 9 2`: only those sections (RESULTS.md is then left as it is).
const only = process.argv.slice(2);
const chosen = only.length > 0 ? sections.filter(([id]) => only.includes(id)) : sections;
log('building the bench apps (skipped when nothing they bundle changed)');
// Sections 2 and 6 (and the middleware rows) run the Next.js and SvelteKit builds.
const buildSeconds = chosen.some(([id]) => ['1', '2', '6'].includes(id)) ? buildApps() : 0;

const devserver = await startDevserver();
const rows = [];
try {
  for (const [id, name, measure, options] of chosen) {
    const sectionStart = performance.now();
    log(`${id}. ${name}…`);
    rows.push(...(await measure({ ...options, devserver })));
    log(`${id}. done in ${((performance.now() - sectionStart) / 1000).toFixed(0)} s`);
  }
} finally {
  await devserver.stop();
}

const seconds = (performance.now() - started) / 1000;
const table = markdownTable(rows);
const { version } = JSON.parse(readFileSync(new URL('package.json', import.meta.url), 'utf8'));
const machine = [
  `- CPU: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores (servers pinned to core ${cores.server}, load generator and devserver to core ${cores.client})`,
  `- Node.js ${process.version} on Linux ${release()}`,
  `- load average ${loadAtStart.toFixed(2)} at the start, ${loadavg()[0].toFixed(2)} at the end (other processes share the machine)`,
  `- ${new Date().toISOString()}: \`pnpm bench\` took ${formatSeconds(seconds)}${buildSeconds ? `, of which ${formatSeconds(buildSeconds)} building the bench apps` : ' (bench apps reused from an earlier build)'}`,
];
if (only.length === 0) {
  writeFileSync(
    new URL('RESULTS.md', import.meta.url),
    `# Benchmark results

The latest \`pnpm bench\` (bench ${version}), written by \`bench/run.mjs\`. Each figure is the
median over interleaved rounds, with the range in brackets; how each row is measured, and why a
goal is missed, is in [README.md](README.md).

${machine.join('\n')}

${table}
`,
  );
  // Formatted as the repository formats Markdown (Biome pads tables), so that `pnpm lint` passes
  // with the file as the bench leaves it.
  spawnSync(new URL('../node_modules/.bin/biome', import.meta.url).pathname, [
    'format',
    '--write',
    new URL('RESULTS.md', import.meta.url).pathname,
  ]);
}
console.log(table);
log(`done in ${formatSeconds(seconds)}${only.length === 0 ? '; written to bench/RESULTS.md' : ''}`);

function formatSeconds(value) {
  return value >= 60
    ? `${Math.floor(value / 60)} min ${Math.round(value % 60)} s`
    : `${value.toFixed(0)} s`;
}
