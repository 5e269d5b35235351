import type { TestProject } from 'vitest/node';
import { packedPackages } from '../../../scripts/pack-packages.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Package name to the absolute path of its tarball. */
    tarballs: Record<string, string>;
  }
}

// Every published package, packed as `pnpm publish` packs it (workspace: ranges become
// versions): the tarballs of the run's `pack:packages` task, which turbo runs before this suite
// (packed here only when this suite runs on its own and they are missing or older than a build).
export default async function pack(project: TestProject) {
  project.provide('tarballs', await packedPackages());
}
