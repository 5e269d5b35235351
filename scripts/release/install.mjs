// Installs one packed tarball alone, as a user would install the published package, and loads it.
import { existsSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { run } from './command.mjs';
import { esmOnlySubpaths, readJson } from './workspace.mjs';

/**
 * Installs `tarball` with npm into the empty folder `app`, its sibling packages coming from their
 * tarballs (npm `overrides`) and third-party dependencies from the registry; then checks that the
 * siblings are the versions being released, that every export loads with `require` and `import`,
 * and that every command is linked.
 *
 * Peers are the user's framework: npm resolves them (so a range it cannot satisfy fails here) but
 * does not unpack them; they are linked from `peersFrom` (the package's folder in the repository,
 * whose node_modules holds the versions the tests use), as in an app that already has them.
 * @param {{
 *   tarball: string;
 *   manifest: import('./workspace.mjs').Manifest;
 *   app: string;
 *   siblings: Map<string, { tarball: string; version: string }>;
 *   peersFrom: string;
 * }} options
 * @returns {Promise<string[]>} the problems found, each naming the package
 * @example await installAlone({ tarball, manifest, app: '/tmp/app', siblings, peersFrom })
 */
export async function installAlone({ tarball, manifest, app, siblings, peersFrom }) {
  const { name } = manifest;
  const overrides = Object.fromEntries(
    [...siblings]
      .filter(([sibling]) => sibling !== name)
      .map(([sibling, packed]) => [sibling, `file:${packed.tarball}`]),
  );
  mkdirSync(app, { recursive: true });
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'rehearsal-app', private: true, overrides }),
  );
  const install = ['install', `file:${tarball}`, '--omit=peer', '--ignore-scripts'];
  install.push('--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error');
  try {
    await run('npm', install, app);
  } catch (error) {
    return [`${name}: npm install of the tarball alone: ${error.message}`];
  }

  const problems = [];
  for (const dependency of Object.keys(manifest.dependencies ?? {})) {
    const wanted = siblings.get(dependency)?.version;
    const file = join(app, 'node_modules', dependency, 'package.json');
    if (wanted && (!existsSync(file) || readJson(file).version !== wanted)) {
      problems.push(`${name}: npm did not install ${dependency}@${wanted} from its tarball`);
    }
  }
  for (const peer of Object.keys(manifest.peerDependencies ?? {})) {
    const source = join(peersFrom, 'node_modules', peer);
    const target = join(app, 'node_modules', peer);
    if (existsSync(source) && !existsSync(target)) {
      mkdirSync(dirname(target), { recursive: true });
      symlinkSync(realpathSync(source), target, 'dir');
    }
  }

  const subpaths = Object.keys(manifest.exports ?? { '.': null }).filter(
    (subpath) => subpath !== './package.json' && !subpath.includes('*'),
  );
  const esmOnly = new Set(esmOnlySubpaths(manifest));
  const entries = subpaths.map((subpath) => name + subpath.slice(1));
  const required = subpaths
    .filter((subpath) => !esmOnly.has(subpath))
    .map((subpath) => name + subpath.slice(1));
  const load = `const entries = ${JSON.stringify(entries)};
    for (const entry of ${JSON.stringify(required)}) require(entry);
    (async () => { for (const entry of entries) await import(entry); })()
      .catch((error) => { console.error(error); process.exit(1); });`;
  await run(process.execPath, ['-e', load], app).catch((error) =>
    problems.push(`${name}: loading ${entries.join(', ')} once installed: ${error.message}`),
  );

  const bins =
    typeof manifest.bin === 'string' ? [name.split('/').pop()] : Object.keys(manifest.bin ?? {});
  for (const bin of bins) {
    if (!existsSync(join(app, 'node_modules', '.bin', bin))) {
      problems.push(`${name}: npm did not link the "${bin}" command`);
    }
  }
  return problems;
}
