import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify, stripVTControlCharacters } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { installAlone } from '../../../scripts/release/install.mjs';
import { tarballProblems } from '../../../scripts/release/tarball.mjs';
import { publicPackages, scratchCopy } from '../../../scripts/release/workspace.mjs';
import { root } from './workspace.js';

const repository = 'https://github.com/datafast-checkout/datafast-checkout';
const expected = {
  privateNames: new Set(['@datafast-checkout/testing']),
  version: '0.1.0',
  repository,
  folder: 'packages/express',
};
const good = {
  manifest: {
    name: '@datafast-checkout/express',
    version: '0.1.0',
    dependencies: { '@datafast-checkout/core': '^0.1.0' },
    peerDependencies: { express: '^4.17 || ^5' },
    repository: { type: 'git', url: `git+${repository}.git`, directory: 'packages/express' },
    publishConfig: { access: 'public', provenance: true },
  },
  files: ['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts'],
};

describe('tarballProblems', () => {
  it('passes a tarball that npm can install and that carries provenance', () => {
    expect(tarballProblems(good, expected)).toEqual([]);
  });

  it('finds a workspace: range that pnpm did not replace, and a private dependency', () => {
    const manifest = {
      ...good.manifest,
      dependencies: {
        '@datafast-checkout/core': 'workspace:^',
        '@datafast-checkout/testing': '0.0.0',
      },
    };
    expect(tarballProblems({ ...good, manifest }, expected)).toEqual([
      '@datafast-checkout/express: dependencies.@datafast-checkout/core is "workspace:^", which npm cannot install',
      '@datafast-checkout/express: dependencies.@datafast-checkout/testing is a private workspace package',
    ]);
  });

  it('finds test files, tool configs and files that may hold secrets', () => {
    const files = [
      ...good.files,
      'test/middleware.test.ts',
      'dist/retry.test.js',
      'vitest.config.ts',
      'tsconfig.json',
      '.readme/block-0.ts',
      '.env.local',
      '.devserver-data.json',
    ];
    expect(tarballProblems({ ...good, files }, expected)).toEqual([
      '@datafast-checkout/express: test/middleware.test.ts is a test or tool file',
      '@datafast-checkout/express: dist/retry.test.js is a test or tool file',
      '@datafast-checkout/express: vitest.config.ts is a test or tool file',
      '@datafast-checkout/express: tsconfig.json is a test or tool file',
      '@datafast-checkout/express: .readme/block-0.ts is a test or tool file',
      '@datafast-checkout/express: .env.local may hold secrets',
      '@datafast-checkout/express: .devserver-data.json may hold secrets',
    ]);
  });

  it("allows a creator's project templates their tests, configs and .env.example, not a .env", () => {
    const files = [
      ...good.files,
      'dist/templates/next/test/stripe.test.ts',
      'dist/templates/next/vitest.config.ts',
      'dist/templates/next/tsconfig.json',
      'dist/templates/next/.env.example',
      'dist/templates/next/.env',
    ];
    expect(tarballProblems({ ...good, files }, expected)).toEqual([
      '@datafast-checkout/express: dist/templates/next/.env may hold secrets',
    ]);
  });

  it('finds a private package, a stale version, install scripts and missing publish settings', () => {
    const { publishConfig: _, repository: __, ...rest } = good.manifest;
    const manifest = { ...rest, private: true, version: '0.0.0', scripts: { postinstall: 'x' } };
    const problems = tarballProblems({ manifest, files: ['package.json'] }, expected);
    expect(problems).toEqual([
      '@datafast-checkout/express is private but was packed for publishing',
      '@datafast-checkout/express was packed as 0.0.0, but changeset version made 0.1.0',
      '@datafast-checkout/express runs a "postinstall" script on install',
      '@datafast-checkout/express: publishConfig.access must be "public" (a scoped package is private)',
      '@datafast-checkout/express: publishConfig.provenance must be true (npm provenance)',
      expect.stringContaining('@datafast-checkout/express: repository must be'),
      '@datafast-checkout/express: README.md is not in the tarball',
      '@datafast-checkout/express: LICENSE is not in the tarball',
    ]);
  });
});

describe('installAlone', () => {
  const run = promisify(execFile);
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Packs a package made of `manifest` and `files` with npm; resolves with the tarball's path. */
  async function pack(manifest: Record<string, unknown>, files: Record<string, string>) {
    dir = mkdtempSync(join(tmpdir(), 'datafast-install-'));
    const source = join(dir, 'source');
    mkdirSync(source);
    writeFileSync(join(source, 'package.json'), JSON.stringify(manifest));
    for (const [file, text] of Object.entries(files)) writeFileSync(join(source, file), text);
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], {
      cwd: source,
    });
    const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
    return join(dir, filename);
  }

  const install = async (manifest: Record<string, unknown>, files: Record<string, string>) =>
    installAlone({
      tarball: await pack(manifest, files),
      manifest: manifest as never,
      app: join(dir, 'app'),
      siblings: new Map(),
      peersFrom: dir,
    });

  it('installs a package and loads its exports with require and import', async () => {
    const manifest = { name: '@fixture/fine', version: '1.0.0', exports: { '.': './index.cjs' } };
    expect(await install(manifest, { 'index.cjs': 'module.exports = 1;' })).toEqual([]);
  });

  it('reports an export that does not load once installed', async () => {
    const manifest = { name: '@fixture/broken', version: '1.0.0', exports: { '.': './gone.js' } };
    const problems = await install(manifest, { 'index.js': '' });
    expect(problems).toEqual([expect.stringContaining('@fixture/broken: loading @fixture/broken')]);
  });

  it('reports a tarball npm cannot install', async () => {
    const dependencies = { '@fixture/sibling': 'workspace:^' };
    const manifest = { name: '@fixture/local', version: '1.0.0', dependencies };
    const problems = await install(manifest, { 'index.js': '' });
    expect(problems).toEqual([
      expect.stringMatching(/^@fixture\/local: npm install of the tarball alone: [\s\S]*workspace/),
    ]);
  });
});

it('every published package asks npm for public access and provenance', () => {
  for (const { manifest } of publicPackages()) {
    expect(manifest.publishConfig, manifest.name).toEqual({ access: 'public', provenance: true });
  }
});

it('orders the rehearsal after every published package is built (a devDependency of this package)', () => {
  const own = JSON.parse(readFileSync(join(root, 'internal/repo-checks/package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  for (const { manifest } of publicPackages()) {
    expect(own.devDependencies[manifest.name], manifest.name).toBe('workspace:*');
  }
});

// The commands RELEASING.md gives, run where they can be: on a scratch copy of the repository.
describe("RELEASING.md's changeset commands, on a scratch copy", () => {
  const run = promisify(execFile);
  const changeset = join(root, 'node_modules/@changesets/cli/bin.js');
  let scratch = '';
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  const versions = (dir: string) =>
    Object.fromEntries(
      publicPackages(dir).map(({ manifest }) => [manifest.name, manifest.version]),
    );

  it('changeset pre enter next, then changeset version, makes prerelease versions', async () => {
    scratch = scratchCopy('datafast-prerelease-');
    const before = versions(scratch);
    await run(process.execPath, [changeset, 'pre', 'enter', 'next'], { cwd: scratch });
    await run(process.execPath, [changeset, 'version'], { cwd: scratch });
    for (const [name, version] of Object.entries(versions(scratch))) {
      if (version !== before[name]) expect(version, name).toMatch(/^\d+\.\d+\.\d+-next\.0$/);
    }
    expect(Object.values(versions(scratch))).toContain('0.1.0-next.0');
    await run(process.execPath, [changeset, 'pre', 'exit'], { cwd: scratch });
    const pre = JSON.parse(readFileSync(join(scratch, '.changeset/pre.json'), 'utf8'));
    expect(pre).toMatchObject({ mode: 'exit', tag: 'next' });
  });

  it('changeset status lists what the next release bumps', async () => {
    scratch = scratchCopy('datafast-status-');
    const git = (...args: string[]) =>
      run('git', ['-c', 'user.name=rehearsal', '-c', 'user.email=rehearsal@localhost', ...args], {
        cwd: scratch,
      });
    await git('init', '--quiet', '--initial-branch=main');
    await git('add', '--all');
    await git('commit', '--quiet', '--message', 'scratch');
    const { stdout } = await run(process.execPath, [changeset, 'status'], { cwd: scratch });
    // CI may force colours (FORCE_COLOR); compare the text, not the escapes.
    expect(stripVTControlCharacters(stdout)).toMatch(
      /Packages to be bumped at minor:[\s\S]*@datafast-checkout\/core/,
    );
  });
});
