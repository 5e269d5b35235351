#!/usr/bin/env node
// Packs every published package once per run, as `pnpm publish` packs it (`workspace:` ranges
// become versions), into internal/repo-checks/tarballs/ with an index, tarballs.json (package
// name to file name). Its tarballs are what the suites that test the published packages install
// or read (internal/starters-test, internal/repo-checks), so that no suite packs them again; turbo
// runs it as repo-checks' `pack:packages` task once every package is built. The release
// rehearsal packs its own: it packs the versions `changeset version` makes.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { run } from './release/command.mjs';
import { publicPackages, readJson, root } from './release/workspace.mjs';

/** Where the tarballs and their index are written. */
export const tarballsDir = join(root, 'internal/repo-checks/tarballs');
const indexFile = join(tarballsDir, 'tarballs.json');

/** The newest modification time (ms) of a file, or of a folder and (when `deep`) all under it. */
function newest(path, deep = true) {
  if (!existsSync(path) || /[\\/]node_modules$/.test(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory() || !deep) return stat.mtimeMs;
  return readdirSync(path).reduce(
    (max, entry) => Math.max(max, newest(join(path, entry))),
    stat.mtimeMs,
  );
}

/** What of a package's folder its tarball holds: its `files` and what npm always packs. */
function packedSources(folder, manifest) {
  const files = manifest.files?.some((entry) => /[*?!{}[\]]/.test(entry)) ? ['.'] : manifest.files;
  // The folder itself too: a file removed from it changes its time.
  return ['', 'package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', ...(files ?? ['.'])].map(
    (entry) => join(root, folder, entry),
  );
}

/** The file name `pnpm pack` gives a package's tarball: `@scope/name@1.2.3` as `scope-name-1.2.3.tgz`. */
const tarballName = ({ name, version }) =>
  `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;

/** The index's relative file names as absolute paths. */
const absolute = (index) =>
  Object.fromEntries(Object.entries(index).map(([name, file]) => [name, join(tarballsDir, file)]));

/**
 * Packs every public package into a new folder under {@link tarballsDir} and points the index at
 * it (written whole, then renamed into place): a suite that read the index before keeps its files.
 * @returns {Promise<Record<string, string>>} package name to the tarball's absolute path
 */
export async function packPackages() {
  mkdirSync(tarballsDir, { recursive: true });
  const out = mkdtempSync(join(tarballsDir, 'packed-'));
  const packages = publicPackages();
  const filters = packages.flatMap(({ manifest }) => ['--filter', manifest.name]);
  await run('pnpm', [...filters, 'pack', '--pack-destination', out], root);
  const index = {};
  for (const { manifest } of packages) {
    const file = join(out, tarballName(manifest));
    if (!existsSync(file)) throw new Error(`pnpm packed no ${file} for ${manifest.name}`);
    index[manifest.name] = relative(tarballsDir, file);
  }
  writeFileSync(`${indexFile}.${process.pid}`, `${JSON.stringify(index, null, 2)}\n`);
  renameSync(`${indexFile}.${process.pid}`, indexFile);
  return absolute(index);
}

/**
 * The tarballs of the last {@link packPackages}, packing again first when there are none or when
 * a file a package packs changed after they were packed (a suite run on its own, after a
 * rebuild).
 * @returns {Promise<Record<string, string>>} package name to the tarball's absolute path
 * @example const tarballs = await packedPackages(); tarballs['@datafast-checkout/core']
 */
export async function packedPackages() {
  if (!existsSync(indexFile)) return packPackages();
  const index = readJson(indexFile);
  const packages = publicPackages();
  const fresh = packages.every(({ folder, manifest }) => {
    const file = index[manifest.name];
    if (!file?.endsWith(`/${tarballName(manifest)}`) || !existsSync(join(tarballsDir, file))) {
      return false;
    }
    const packed = statSync(join(tarballsDir, file)).mtimeMs;
    const [self, ...sources] = packedSources(folder, manifest);
    return newest(self, false) <= packed && sources.every((source) => newest(source) <= packed);
  });
  if (!fresh || Object.keys(index).length !== packages.length) return packPackages();
  return absolute(index);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // The run's first packing: the tarballs of earlier runs go.
  rmSync(tarballsDir, { recursive: true, force: true });
  const started = performance.now();
  const tarballs = await packPackages();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `packed ${Object.keys(tarballs).length} packages into ${tarballsDir} in ${seconds} s`,
  );
}
