import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Package name to the absolute path of its tarball. */
    tarballs: Record<string, string>;
  }
}

const root = fileURLToPath(new URL('../../../', import.meta.url));

// Packs every published package (turbo built them first) into a folder outside the workspace,
// exactly as `pnpm publish` would pack it: workspace: ranges become versions.
export default async function pack(project: TestProject) {
  const out = await mkdtemp(join(tmpdir(), 'datafast-packs-'));
  const tarballs: Record<string, string> = {};
  for (const folder of await readdir(join(root, 'packages'))) {
    const dir = join(root, 'packages', folder);
    const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    if (manifest.private) continue;
    const { stdout } = await promisify(execFile)(
      'pnpm',
      ['pack', '--pack-destination', out, '--json'],
      { cwd: dir },
    );
    tarballs[manifest.name] = (JSON.parse(stdout) as { filename: string }).filename;
  }
  project.provide('tarballs', tarballs);
  return () => rm(out, { recursive: true, force: true });
}
