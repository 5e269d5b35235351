import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { packPackages } from '../../../scripts/pack-packages.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Package name to the absolute path of its tarball. */
    tarballs: Record<string, string>;
  }
}

// Packs the published packages the starters use (this package's devDependencies, which turbo
// built first; not the private test helpers of @datafast-checkout/testing) into a folder outside
// the workspace, once for all the files, exactly as `pnpm publish` would pack them: workspace:
// ranges become versions.
export default async function pack(project: TestProject) {
  const out = await mkdtemp(join(tmpdir(), 'datafast-packs-'));
  const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
  const names = Object.keys(manifest.devDependencies as Record<string, string>).filter(
    (name) => name.startsWith('@datafast-checkout/') && name !== '@datafast-checkout/testing',
  );
  project.provide('tarballs', await packPackages(out, names));
  return () => rm(out, { recursive: true, force: true });
}
