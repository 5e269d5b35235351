// The workspace as the release tools see it, and scratch copies of it that a rehearsal may
// version and pack without touching the working tree.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder, with a trailing slash. */
export const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * @typedef {{
 *   name: string;
 *   files?: string[];
 *   version: string;
 *   private?: boolean;
 *   scripts?: Record<string, string>;
 *   dependencies?: Record<string, string>;
 *   devDependencies?: Record<string, string>;
 *   peerDependencies?: Record<string, string>;
 *   peerDependenciesMeta?: Record<string, { optional?: boolean }>;
 *   optionalDependencies?: Record<string, string>;
 *   exports?: Record<string, unknown>;
 *   bin?: Record<string, string> | string;
 *   repository?: { type?: string; url?: string; directory?: string } | string;
 *   publishConfig?: { access?: string; provenance?: boolean };
 * }} Manifest
 * @typedef {{ folder: string; manifest: Manifest }} WorkspacePackage
 */

/** @param {string} file */
export const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/**
 * Every package of the workspace under `dir` (the repository or a scratch copy of it), from the
 * `folder/*` globs of its pnpm-workspace.yaml, with folders relative to `dir` ("packages/core").
 * @param {string} [dir]
 * @returns {WorkspacePackage[]}
 */
export function workspacePackages(dir = root) {
  const yaml = readFileSync(join(dir, 'pnpm-workspace.yaml'), 'utf8');
  const parents = [...yaml.matchAll(/^\s+-\s+['"]?([\w.-]+)\/\*['"]?\s*$/gm)].map((m) => m[1]);
  return parents.flatMap((parent) =>
    readdirSync(join(dir, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${parent}/${entry.name}`)
      .filter((folder) => {
        try {
          readFileSync(join(dir, folder, 'package.json'));
          return true;
        } catch {
          return false;
        }
      })
      .map((folder) => ({ folder, manifest: readJson(join(dir, folder, 'package.json')) })),
  );
}

/** The packages that `changeset publish` publishes: every workspace package not marked private. */
export const publicPackages = (dir = root) =>
  workspacePackages(dir).filter((p) => !p.manifest.private);

/** Leaves out installed dependencies and turbo's logs wherever they are. */
const filter = (source) => !/[\\/](node_modules|\.turbo)$/.test(source);

/**
 * What of a package's folder can end up in its tarball: with a plain `files` list, those entries
 * and what npm always packs; otherwise the whole folder (the rehearsal then flags what should not
 * ship). Copying no more keeps the copy small, and clear of what tests running at the same time
 * write into their folders.
 * @param {Manifest} manifest
 * @returns {string[]}
 */
function packedEntries(manifest) {
  const files = manifest.files ?? [];
  if (files.length === 0 || files.some((entry) => /[*?!{}[\]]/.test(entry))) return ['.'];
  const always = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'];
  const bins =
    typeof manifest.bin === 'string' ? [manifest.bin] : Object.values(manifest.bin ?? {});
  return [...new Set([...always, ...files, ...bins])];
}

/**
 * Copies what versioning and packing read into a new temporary folder: the root manifest, the
 * workspace file, `.changeset/`, what every public package may pack (see packedEntries), every
 * private package's manifest (changesets updates their ranges too). Each public package's
 * `workspace:` dependencies are linked to their copies, as `pnpm install` would link them, so that
 * `pnpm pack` reads the versions of the copy. The copy's own node_modules is a link to the
 * repository's, only so that changesets finds its changelog generator.
 * @param {string} prefix the temporary folder's name prefix
 * @returns {string} the copy's folder
 */
export function scratchCopy(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const file of ['package.json', 'pnpm-workspace.yaml', 'LICENSE', 'README.md']) {
    cpSync(join(root, file), join(dir, file));
  }
  cpSync(join(root, '.changeset'), join(dir, '.changeset'), { recursive: true });
  const packages = workspacePackages();
  const folders = new Map(packages.map(({ folder, manifest }) => [manifest.name, folder]));
  for (const { folder, manifest } of packages) {
    if (manifest.private) {
      mkdirSync(join(dir, folder), { recursive: true });
      cpSync(join(root, folder, 'package.json'), join(dir, folder, 'package.json'));
    } else {
      for (const entry of packedEntries(manifest)) {
        if (existsSync(join(root, folder, entry))) {
          cpSync(join(root, folder, entry), join(dir, folder, entry), { recursive: true, filter });
        }
      }
      const { dependencies, devDependencies, peerDependencies, optionalDependencies } = manifest;
      const ranges = {
        ...devDependencies,
        ...peerDependencies,
        ...optionalDependencies,
        ...dependencies,
      };
      for (const [name, range] of Object.entries(ranges)) {
        const target = folders.get(name);
        if (!range.startsWith('workspace:') || target === undefined) continue;
        const link = join(dir, folder, 'node_modules', name);
        mkdirSync(dirname(link), { recursive: true });
        symlinkSync(join(dir, target), link, 'dir');
      }
    }
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/**
 * The subpaths a manifest's `exports` offers to `import` only (no `require` or `default`
 * condition), e.g. a test helper built on vitest, which refuses `require()`.
 */
export function esmOnlySubpaths(manifest) {
  return Object.entries(manifest.exports ?? {})
    .filter(([, target]) => typeof target === 'object' && target !== null)
    .filter(([, target]) => 'import' in target && !('require' in target) && !('default' in target))
    .map(([subpath]) => subpath);
}
