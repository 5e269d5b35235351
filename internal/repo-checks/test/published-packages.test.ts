import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packPackages } from '../../../scripts/pack-packages.mjs';
import { internalPackages, publishedPackages, root } from './workspace.js';

const repository = 'https://github.com/datafast-checkout/datafast-checkout';
const packages = publishedPackages();
/** Package name to its tarball, packed once for the file as `pnpm publish` packs it. */
let tarballs: Record<string, string>;
const packed = mkdtempSync(join(tmpdir(), 'datafast-published-'));
beforeAll(async () => {
  tarballs = await packPackages(packed);
}, 120_000);
afterAll(() => rmSync(packed, { recursive: true, force: true }));

/** The majors a range like `^4.17 || ^5` allows; only caret and tilde ranges are claims we test. */
function majorsOf(range: string): number[] {
  return range.split('||').map((part) => {
    const major = /^[\^~](\d+)(\.\d+){0,2}$/.exec(part.trim())?.[1];
    if (major === undefined) throw new Error(`"${part.trim()}" is not a ^ or ~ range`);
    return Number(major);
  });
}

it('finds the published packages', () => {
  expect(packages.map(({ manifest }) => manifest.name)).toEqual(
    expect.arrayContaining(['@datafast-checkout/core', '@datafast-checkout/express']),
  );
});

describe.each(packages)('$manifest.name', ({ folder, manifest }) => {
  it("ships the repository's MIT LICENSE", async () => {
    const tarball = tarballs[manifest.name] as string;
    const { stdout } = await promisify(execFile)('tar', ['-xzOf', tarball, 'package/LICENSE']);

    expect(stdout, 'the LICENSE in the tarball').toBe(readFileSync(`${root}LICENSE`, 'utf8'));
    expect(readFileSync(`${root}${folder}/LICENSE`, 'utf8')).toBe(
      readFileSync(`${root}LICENSE`, 'utf8'),
    );
    expect(manifest.license).toBe('MIT');
  });

  it('links its folder in the repository, its homepage and the issue tracker', () => {
    expect(manifest.repository).toEqual({
      type: 'git',
      url: `git+${repository}.git`,
      directory: folder,
    });
    expect(manifest.homepage).toBe(`${repository}/tree/main/${folder}#readme`);
    expect(manifest.bugs).toEqual({ url: `${repository}/issues` });
  });

  it('claims in peerDependencies exactly the majors its tests, or an internal app of it, install', () => {
    // Its own tests, and the apps under internal/ that test it with a framework major whose Node
    // is newer than the package's tests run on (internal/sveltekit3).
    const testers = [
      { folder, manifest },
      ...internalPackages().filter(({ manifest: app }) => app.devDependencies?.[manifest.name]),
    ];
    for (const [peer, range] of Object.entries(manifest.peerDependencies ?? {})) {
      // The peer itself and npm aliases of it (`express4` is `npm:express@^4`), as installed.
      const tested = testers.flatMap((tester) =>
        Object.entries(tester.manifest.devDependencies ?? {})
          .filter(([name, spec]) => name === peer || spec.startsWith(`npm:${peer}@`))
          .map(([name]) => {
            const installed = readFileSync(
              `${root}${tester.folder}/node_modules/${name}/package.json`,
              'utf8',
            );
            return Number((JSON.parse(installed) as { version: string }).version.split('.')[0]);
          }),
      );

      expect(majorsOf(range).sort(), `${peer}: ${range}`).toEqual(
        [...new Set(tested)].sort((a, b) => a - b),
      );
    }
  });
});
