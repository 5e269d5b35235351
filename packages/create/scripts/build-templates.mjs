// Build step: copies each example of the repository into dist/templates/<template>, so that the
// templates are the examples themselves, never a second copy kept by hand. On the way it leaves
// out what a clone of the example would not have (dependencies, build output, local data and
// secrets), pins our packages to the versions released with this creator, ships .gitignore as
// _gitignore (npm drops .gitignore files from packages), and checks every #region marker and
// every file a payment path removes, so that a broken template fails the build, not a user.
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findRegions, PAYMENTS, REPOSITORY_ONLY_REGION, TEMPLATES } from '../dist/index.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const out = fileURLToPath(new URL('../dist/templates/', import.meta.url));

/** Never copied: installed, built or generated, or local to one machine. */
const SKIPPED = new Set([
  'node_modules',
  '.next',
  'build',
  'dist',
  '.svelte-kit',
  '.nuxt',
  '.output',
  '.data',
  '.astro',
  '.turbo',
  'coverage',
  'next-env.d.ts',
  '.devserver.json',
  '.env',
]);
const skipped = (name) =>
  SKIPPED.has(name) ||
  name.endsWith('.tsbuildinfo') ||
  (name.startsWith('.env.') && name !== '.env.example');

const REGION_NAMES = new Set([REPOSITORY_ONLY_REGION, ...PAYMENTS.map((path) => path.id)]);

/** `{ '@datafast-checkout/core': '^0.1.0', … }`: every published package of the workspace. */
async function releasedRanges() {
  const ranges = {};
  for (const folder of await readdir(join(root, 'packages'))) {
    const manifest = JSON.parse(
      await readFile(join(root, 'packages', folder, 'package.json'), 'utf8'),
    );
    if (!manifest.private) ranges[manifest.name] = `^${manifest.version}`;
  }
  return ranges;
}

function pinned(deps, ranges, example) {
  if (!deps) return deps;
  return Object.fromEntries(
    Object.entries(deps).map(([name, spec]) => {
      if (!name.startsWith('@datafast-checkout/')) return [name, spec];
      if (!ranges[name]) throw new Error(`${example} depends on ${name}, which is not published`);
      return [name, ranges[name]];
    }),
  );
}

async function copyTree(from, to, relative = '') {
  const files = [];
  for (const entry of await readdir(join(from, relative), { withFileTypes: true })) {
    if (skipped(entry.name)) continue;
    const path = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      files.push(...(await copyTree(from, to, path)));
      continue;
    }
    const target = join(to, entry.name === '.gitignore' ? `${relative}/_gitignore` : path);
    await mkdir(join(target, '..'), { recursive: true });
    await cp(join(from, path), target);
    files.push(path);
  }
  return files;
}

const ranges = await releasedRanges();
await rm(out, { recursive: true, force: true });
for (const template of TEMPLATES) {
  const source = join(root, 'examples', template.example);
  const target = join(out, template.id);
  const files = await copyTree(source, target);

  for (const file of files) {
    const text = await readFile(join(source, file), 'utf8');
    for (const region of findRegions(text, `examples/${template.example}/${file}`)) {
      if (!REGION_NAMES.has(region.name)) {
        throw new Error(
          `examples/${template.example}/${file}:${region.start + 1}: unknown region "${region.name}" (known: ${[...REGION_NAMES].join(', ')})`,
        );
      }
    }
  }
  for (const path of PAYMENTS) {
    for (const removed of path.files[template.id]) {
      if (!files.some((file) => file === removed || file.startsWith(`${removed}/`))) {
        throw new Error(
          `payment path ${path.id} removes ${removed}, which examples/${template.example} does not have`,
        );
      }
    }
  }

  const manifest = JSON.parse(await readFile(join(source, 'package.json'), 'utf8'));
  manifest.dependencies = pinned(manifest.dependencies, ranges, template.example);
  manifest.devDependencies = pinned(manifest.devDependencies, ranges, template.example);
  await writeFile(join(target, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}
console.log(`templates: ${TEMPLATES.map((t) => `${t.id} (examples/${t.example})`).join(', ')}`);
