#!/usr/bin/env node
// Release rehearsal: what the release workflow will do, done on a scratch copy of the repository
// so the working tree is never changed. `changeset version` applies the pending changesets, then
// every public package is packed exactly as `changeset publish` packs it (pnpm pack, which turns
// `workspace:` ranges into versions), and each tarball must:
//   - hold no `workspace:` range, private package, test file or secret (scripts/release/tarball.mjs),
//   - pass publint --strict and attw on the packed files,
//   - install alone into an empty folder with npm, its sibling packages coming from their tarballs
//     (third-party dependencies come from the npm registry, the only network use),
//   - load every export, with import and with require, once installed.
// Run after `pnpm build` (`pnpm rehearse:release` builds first). `--keep` keeps the scratch folder.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { run } from './release/command.mjs';
import { installAlone } from './release/install.mjs';
import { tarballProblems } from './release/tarball.mjs';
import {
  esmOnlySubpaths,
  publicPackages,
  readJson,
  root,
  scratchCopy,
  workspacePackages,
} from './release/workspace.mjs';

const repository = 'https://github.com/datafast-checkout/datafast-checkout';
const started = performance.now();

/** Every file under `dir`, relative to it, with `/` separators. */
function filesUnder(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? filesUnder(join(dir, entry.name), base)
      : [relative(base, join(dir, entry.name)).split('\\').join('/')],
  );
}

/** Runs `task` on every item, two at a time (the machines this runs on have two cores). */
async function eachInPairs(items, task) {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
  };
  await Promise.all([worker(), worker()]);
}

const kilobytes = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
const seconds = (from) => `${((performance.now() - from) / 1000).toFixed(1)} s`;

const problems = [];
const sources = new Map(publicPackages().map((p) => [p.manifest.name, p]));
const privateNames = new Set(
  workspacePackages()
    .filter((p) => p.manifest.private)
    .map((p) => p.manifest.name),
);
for (const { folder, manifest } of sources.values()) {
  if (manifest.files?.includes('dist') && !existsSync(join(root, folder, 'dist'))) {
    console.error(`${manifest.name} is not built: run \`pnpm build\` first.`);
    process.exit(1);
  }
}

const scratch = scratchCopy('datafast-release-');
try {
  // 1. Version, as the "Version packages" pull request will.
  let phase = performance.now();
  await run(
    process.execPath,
    [join(root, 'node_modules/@changesets/cli/bin.js'), 'version'],
    scratch,
  );
  const versioned = new Map(publicPackages(scratch).map((p) => [p.manifest.name, p]));
  const left = readdirSync(join(scratch, '.changeset')).filter(
    (file) => file.endsWith('.md') && file !== 'README.md',
  );
  if (left.length > 0) problems.push(`changeset version left ${left.join(', ')} unapplied`);
  for (const [name, { folder, manifest }] of versioned) {
    const before = sources.get(name)?.manifest.version;
    if (manifest.version !== before && !existsSync(join(scratch, folder, 'CHANGELOG.md'))) {
      problems.push(`${name}: changeset version wrote no CHANGELOG.md`);
    }
    console.log(`version  ${name} ${before} -> ${manifest.version}`);
  }
  console.log(`versioned in ${seconds(phase)}`);

  // 2. Pack every public package as pnpm publish does.
  phase = performance.now();
  const tarballs = join(scratch, '.tarballs');
  const filters = [...versioned.keys()].flatMap((name) => ['--filter', name]);
  await run('pnpm', [...filters, 'pack', '--pack-destination', tarballs], scratch);
  const packed = new Map();
  for (const file of readdirSync(tarballs).filter((f) => f.endsWith('.tgz'))) {
    const unpacked = join(scratch, '.unpacked', file.replace(/\.tgz$/, ''));
    mkdirSync(unpacked, { recursive: true });
    await run('tar', ['-xzf', join(tarballs, file), '-C', unpacked], scratch);
    const manifest = readJson(join(unpacked, 'package', 'package.json'));
    const files = filesUnder(join(unpacked, 'package'));
    const unpackedBytes = files.reduce(
      (sum, path) => sum + statSync(join(unpacked, 'package', path)).size,
      0,
    );
    packed.set(manifest.name, { tarball: join(tarballs, file), manifest, files, unpackedBytes });
  }
  for (const name of versioned.keys()) {
    if (!packed.has(name)) problems.push(`${name} is public but pnpm packed no tarball for it`);
  }
  for (const name of packed.keys()) {
    if (!versioned.has(name)) problems.push(`${name} was packed but is not a public package`);
  }
  console.log(`packed ${packed.size} packages in ${seconds(phase)}`);

  // 3. Check each tarball: contents, publint, attw, an npm install of it alone, and its exports.
  phase = performance.now();
  const siblings = new Map(
    [...packed].map(([name, { tarball, manifest }]) => [
      name,
      { tarball, version: manifest.version },
    ]),
  );
  await eachInPairs([...packed.keys()], async (name) => {
    const { tarball, manifest, files } = packed.get(name);
    const { folder } = versioned.get(name);
    problems.push(
      ...tarballProblems(
        { manifest, files },
        { privateNames, version: versioned.get(name).manifest.version, repository, folder },
      ),
    );

    const bytes = readFileSync(tarball);
    const lint = await publint({
      pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) },
      strict: true,
    });
    for (const message of lint.messages.filter((m) => m.type !== 'suggestion')) {
      problems.push(`${name}: publint: ${formatMessage(message, lint.pkg, { color: false })}`);
    }

    // An import-only subpath is checked under the esm-only profile, the rest under strict.
    const esmOnly = esmOnlySubpaths(manifest);
    const attwRuns = [[tarball, '--format', 'ascii']];
    if (esmOnly.length > 0) {
      attwRuns[0].push('--exclude-entrypoints', ...esmOnly);
      attwRuns.push([
        tarball,
        '--format',
        'ascii',
        '--profile',
        'esm-only',
        '--entrypoints',
        ...esmOnly,
      ]);
    }
    for (const args of attwRuns) {
      await run(join(root, 'node_modules/.bin/attw'), args, scratch).catch((error) =>
        problems.push(`${name}: attw: ${error.message}`),
      );
    }

    problems.push(
      ...(await installAlone({
        tarball,
        manifest,
        app: join(scratch, '.install', name.replace('/', '+')),
        siblings,
        peersFrom: join(root, folder),
      })),
    );
  });
  console.log(`checked ${packed.size} tarballs in ${seconds(phase)}\n`);

  console.log('package                             version      packed   unpacked  files');
  for (const [name, { tarball, manifest, files, unpackedBytes }] of [...packed].sort()) {
    const columns = [
      name.padEnd(36),
      manifest.version.padEnd(9),
      kilobytes(statSync(tarball).size).padStart(10),
      kilobytes(unpackedBytes).padStart(11),
      String(files.length).padStart(7),
    ];
    console.log(columns.join(''));
  }
} finally {
  if (process.argv.includes('--keep')) console.log(`\nscratch copy kept in ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
}

if (problems.length > 0) {
  console.error(`\nThe release rehearsal found ${problems.length} problem(s):`);
  for (const problem of problems) console.error(`- ${problem}`);
  console.error(`(${seconds(started)})`);
  process.exit(1);
}
console.log(`\nRelease rehearsal passed in ${seconds(started)}.`);
