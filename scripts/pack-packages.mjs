// Packs published packages as `pnpm publish` packs them (`workspace:` ranges become versions), in
// one pnpm command: what the suites that install or read the packed packages start from
// (internal/starters-test, internal/repo-checks). Each suite packs the packages it needs once
// for all its files, after turbo has built them (they are its devDependencies); the release
// rehearsal packs its own, the versions `changeset version` makes.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './release/command.mjs';
import { publicPackages, root } from './release/workspace.mjs';

/** The file name `pnpm pack` gives a tarball: `@scope/name` 1.2.3 as `scope-name-1.2.3.tgz`. */
const tarballName = ({ name, version }) =>
  `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;

/**
 * Packs the named public packages (all of them when `names` is omitted) into `out`.
 * @param {string} out an existing folder, outside the workspace
 * @param {string[]} [names] package names
 * @returns {Promise<Record<string, string>>} package name to the tarball's absolute path
 * @example const tarballs = await packPackages(folder, ['@datafast-checkout/core'])
 */
export async function packPackages(out, names) {
  const packages = publicPackages().filter(
    ({ manifest }) => names?.includes(manifest.name) ?? true,
  );
  const missing = (names ?? []).filter((name) => !packages.some((p) => p.manifest.name === name));
  if (missing.length > 0) throw new Error(`not public packages of the workspace: ${missing}`);
  const filters = packages.flatMap(({ manifest }) => ['--filter', manifest.name]);
  await run('pnpm', [...filters, 'pack', '--pack-destination', out], root);
  const tarballs = {};
  for (const { manifest } of packages) {
    const file = join(out, tarballName(manifest));
    if (!existsSync(file)) throw new Error(`pnpm packed no ${file} for ${manifest.name}`);
    tarballs[manifest.name] = file;
  }
  return tarballs;
}
