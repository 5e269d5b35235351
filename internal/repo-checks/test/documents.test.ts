import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandProblems } from './commands.js';
import { documents as readmesAndDocs } from './markdown.js';
import { publishedPackages, root, shellCommands } from './workspace.js';

// RELEASING.md, CONTRIBUTING.md, SECURITY.md and the GitHub templates: they exist, and every
// command and link in them points at something that exists. The changeset commands they give are
// run for real in release.test.ts; the full test command is what CI runs.
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const documents = [
  'RELEASING.md',
  'CONTRIBUTING.md',
  'SECURITY.md',
  '.github/pull_request_template.md',
];
const repository = 'https://github.com/datafast-checkout/datafast-checkout';

interface Manifest {
  name: string;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

describe.each(documents)('%s', (file) => {
  const markdown = read(file);

  it('links only files of the repository that exist', () => {
    const links = [...markdown.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)]
      .map((m) => m[1] ?? '')
      .filter((link) => !/^[a-z]+:/.test(link));
    expect(links.filter((link) => !existsSync(join(root, dirname(file), link)))).toEqual([]);
  });
});

// Every document's commands (sh blocks and inline code), read in the document's own folder.
describe.each([...documents, ...readmesAndDocs()])('the commands of %s', (file) => {
  it('run only scripts, tasks, packages, files and templates that exist', () => {
    const commands = shellCommands(read(file)).filter((line) =>
      /^([A-Z_]+=\S*\s+)*(pnpm|npx|npm|node|cd) /.test(line),
    );
    expect(commands.flatMap((command) => commandProblems(file, command))).toEqual([]);
  });
});

it("CONTRIBUTING.md sets up with the README's two set-up commands, verbatim", () => {
  const setUp = (markdown: string) => /## Set up\n[\s\S]*?```sh\n([\s\S]*?)```/.exec(markdown)?.[1];
  expect(setUp(read('CONTRIBUTING.md'))).toBe(setUp(read('README.md')));
  expect(setUp(read('README.md'))).toContain(
    'npx --yes pnpm@10.34.9 install && npx --yes pnpm@10.34.9 test',
  );
});

it('RELEASING.md covers the first release, the workflow, prereleases and deprecation', () => {
  const releasing = read('RELEASING.md');
  for (const heading of [
    '## What the workflow does',
    '## The first release',
    '## Prereleases',
    '## Deprecating a version',
  ]) {
    expect(releasing).toContain(heading);
  }
  expect(releasing).toContain('pnpm changeset pre enter next');
  expect(releasing).toMatch(/npm deprecate @datafast-checkout\/\S+@\d+\.\d+\.\d+ "[^"]+"/);
});

it('SECURITY.md says how to report, and names leaks, forgeries and an exposed devserver', () => {
  const security = read('SECURITY.md');
  expect(security).toContain('## Reporting a vulnerability');
  expect(security).toContain(`${repository}/security/advisories/new`);
  for (const kind of [
    'A key or secret leak',
    'A webhook forgery',
    'A devserver reachable from the network',
  ]) {
    expect(security).toContain(`**${kind}**`);
  }
});

it('the bug report and pull request templates ask for the Node.js and framework versions', () => {
  const bug = read('.github/ISSUE_TEMPLATE/bug_report.yml');
  for (const id of ['node-version', 'framework-version', 'package-version']) {
    expect(bug).toMatch(new RegExp(`id: ${id}\\n[\\s\\S]*?required: true`));
  }
  const pullRequest = read('.github/pull_request_template.md');
  expect(pullRequest).toMatch(/^- Node\.js:/m);
  expect(pullRequest).toMatch(/^- Framework and provider:/m);
});

it('has a CODEOWNERS that names an owner for everything', () => {
  expect(read('.github/CODEOWNERS')).toMatch(/^\*\s+@\S+/m);
});

describe.each(publishedPackages())('$manifest.name README', ({ folder, manifest }) => {
  const readme = read(`${folder}/README.md`);
  const compatibility = /\n## Compatibility\n([\s\S]*?)\n## Changelog\n([\s\S]*)$/.exec(readme);

  it('ends with its compatibility table, then a link to its CHANGELOG', () => {
    expect(compatibility, 'the last two sections: ## Compatibility, ## Changelog').not.toBeNull();
    expect(compatibility?.[2]).toContain(`(${repository}/blob/main/${folder}/CHANGELOG.md)`);
    expect(compatibility?.[2]).not.toMatch(/\n## /);
  });

  it('gives the Node.js versions CI tests and the peer versions the tests install', () => {
    // Each table row as trimmed cells; `\|` is a pipe inside a cell.
    const rows = (compatibility?.[1] ?? '')
      .split('\n')
      .filter((line) => line.startsWith('|'))
      .map((line) =>
        line
          .split(/(?<!\\)\|/)
          .slice(1, -1)
          .map((cell) => cell.trim()),
      );
    const matrix = /node: \[([\d, ]+)\]/.exec(read('.github/workflows/ci.yml'))?.[1];
    expect(rows).toContainEqual(['Node.js', matrix, '`>=20`']);
    const { peerDependencies = {}, devDependencies = {} } = manifest as Manifest;
    for (const [peer, range] of Object.entries(peerDependencies)) {
      const [, tested = '', supported = ''] = rows.find(([name]) => name === `\`${peer}\``) ?? [];
      expect(supported, peer).toContain(`\`${range.replaceAll('|', '\\|')}\``);
      const installed = Object.entries(devDependencies)
        .filter(([name, spec]) => name === peer || spec.startsWith(`npm:${peer}@`))
        .map(([name]) => read(`${folder}/node_modules/${name}/package.json`))
        .map((json) =>
          (JSON.parse(json) as { version: string }).version.split('.').slice(0, 2).join('.'),
        );
      expect(installed.length, `${peer} is installed for the tests`).toBeGreaterThan(0);
      for (const version of installed) expect(tested, peer).toContain(version);
    }
  });
});
