import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PAYMENTS, TEMPLATES } from '@datafast-checkout/create';
import { root } from './workspace.js';

// Whether a command a document gives can work in this repository: the scripts it runs exist
// where it runs them, the files and folders it names exist, the packages, tarballs, templates and
// pnpm version it names are ours and current. It does not run them (a deploy, an install from
// npm); the commands that CI runs are run for real elsewhere (.ci/run, release.test.ts).

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  scripts?: Record<string, string>;
  bin?: string | Record<string, string>;
}

const readManifest = (folder: string) =>
  JSON.parse(readFileSync(join(root, folder, 'package.json'), 'utf8')) as Manifest;

/** Every package of the workspace (packages, examples, internal), by name, with its folder. */
const workspace = new Map(
  ['packages', 'examples', 'internal']
    .flatMap((group) =>
      readdirSync(join(root, group), { withFileTypes: true })
        .filter(
          (entry) =>
            entry.isDirectory() && existsSync(join(root, group, entry.name, 'package.json')),
        )
        .map((entry) => `${group}/${entry.name}`),
    )
    .map((folder) => {
      const manifest = readManifest(folder);
      return [manifest.name, { folder, manifest }] as const;
    }),
);
const rootManifest = readManifest('.') as Manifest & { packageManager: string };
const examples = [...workspace.values()].filter(({ folder }) => folder.startsWith('examples/'));
const bins = new Set(
  [...workspace.values()].flatMap(({ manifest }) =>
    typeof manifest.bin === 'object' ? Object.keys(manifest.bin) : [],
  ),
);
const turboTasks = Object.keys(
  (JSON.parse(readFileSync(join(root, 'turbo.json'), 'utf8')) as { tasks: object }).tasks,
);
// pnpm's own commands, and the root's binaries it runs.
const pnpmCommands = [
  'install',
  'add',
  'exec',
  'create',
  'audit',
  'publish',
  'pack',
  'changeset',
  'turbo',
];

/** Whether `name` is one of our published packages (`@datafast-checkout/x`, any version or tag). */
function isPublished(spec: string): boolean {
  const name = spec.replace(/^(@[^/@]+\/[^@]+)@.*$/, '$1');
  const found = workspace.get(name);
  return Boolean(found && !found.manifest.private && found.folder.startsWith('packages/'));
}

/**
 * The problems of one command line of `document`: a missing script, path, package, tarball,
 * template or pnpm version, each named. Commands chained with `&&` are read in order, so a `cd`
 * moves the folder that later ones run in; a `cd` to a folder that is not in the repository (a
 * project the reader made from an example) runs the rest as in such a project.
 */
export function commandProblems(document: string, line: string): string[] {
  const problems: string[] = [];
  let folder: string | undefined = dirname(document) === '.' ? '' : dirname(document);
  for (const part of line.split(/\s*&&\s*/)) {
    // Leading VARIABLE=value words set the environment; pnpm through npx is pnpm.
    const command = part.replace(/^([A-Z_]+=\S*\s+)+/, '');
    const pinned = /^npx (?:--yes )?pnpm@(\S+)/.exec(command)?.[1];
    if (pinned && `pnpm@${pinned}` !== rootManifest.packageManager) {
      problems.push(
        `${line}: pnpm@${pinned} is not the repository's ${rootManifest.packageManager}`,
      );
    }
    const words = command.replace(/^npx (?:--yes )?pnpm@\S+/, 'pnpm').split(/\s+/);
    const [program, verb = '', ...rest] = words;
    const fail = (problem: string) => problems.push(`${line}: ${problem}`);

    if (program === 'cd') {
      const target = verb;
      folder = [join(folder ?? '', target), target].find((f) => existsSync(join(root, f)));
      continue;
    }
    if (folder !== undefined) {
      for (const path of words
        .slice(1)
        .filter((word) => /^(\.{0,2}\/)?[\w.-]+\/[\w./-]+$/.test(word))) {
        if (!existsSync(join(root, folder, path)) && !existsSync(join(root, path))) {
          fail(`${path} does not exist`);
        }
      }
    }
    // An example's document runs the example's scripts; any other may also mean a project made
    // from an example (`npm run dev` there), or run where the reader's `cd` went.
    const scriptOk = (script: string) => {
      const own = folder !== undefined && existsSync(join(root, folder, 'package.json'));
      if (own && readManifest(folder ?? '').scripts?.[script]) return true;
      if (folder?.startsWith('examples/')) return false;
      return examples.some(({ manifest }) => manifest.scripts?.[script]);
    };

    if (program === 'npm') {
      const script = verb === 'run' ? rest[0] : ['start', 'test'].includes(verb) ? verb : undefined;
      if (script && !scriptOk(script)) fail(`no script ${script} where it runs`);
      if (['install', 'i', 'view', 'deprecate', 'dist-tag'].includes(verb)) {
        for (const spec of rest.filter((word) => word.startsWith('@datafast-checkout/'))) {
          if (!isPublished(spec)) fail(`${spec} is not a published package`);
        }
        for (const tarball of rest.filter((word) => word.endsWith('.tgz'))) {
          const [, name, version] =
            /datafast-checkout-([a-z-]+)-(\d+\.\d+\.\d+[^/]*)\.tgz$/.exec(tarball) ?? [];
          const manifest = workspace.get(`@datafast-checkout/${name}`)?.manifest;
          if (!manifest || manifest.version !== version)
            fail(`${tarball} is not a tarball pnpm pack makes`);
        }
      }
      if (verb === 'create') {
        if (rest[0] && !isPublished(initializer(rest[0]))) fail(`${rest[0]} is not our creator`);
        checkCreate(rest, fail);
      }
    }
    if (program === 'npx' && verb.startsWith('@datafast-checkout/')) {
      const manifest = workspace.get(verb)?.manifest;
      if (!isPublished(verb) || !manifest?.bin)
        fail(`${verb} is not a published package with a bin`);
    }
    if (program === 'node' && verb.endsWith('create-datafast-checkout.js')) checkCreate(rest, fail);
    if (program === 'pnpm') checkPnpm(words.slice(1), fail);
  }
  return problems;
}

function checkPnpm(args: string[], fail: (problem: string) => void): void {
  let target: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--filter') target = args[++i];
    else if (arg.startsWith('--filter=')) target = arg.slice('--filter='.length);
    else rest.push(arg);
  }
  const [command = '', ...more] = rest;
  if (command === 'turbo') {
    const task = more[0] === 'run' ? more[1] : undefined;
    if (task && !turboTasks.includes(task)) fail(`no turbo task ${task}`);
    if (target && task && !workspace.get(target)?.manifest.scripts?.[task]) {
      fail(`${target} has no ${task}`);
    }
    return;
  }
  if (command === 'exec') {
    if (!bins.has(more[0] ?? '')) fail(`no package of the workspace has the bin ${more[0]}`);
    return;
  }
  if (command === 'create') {
    if (!isPublished(initializer(more[0] ?? ''))) fail(`${more[0]} is not our creator`);
    return;
  }
  if (target !== undefined) {
    const glob = target.replace(/^"|"$/g, '');
    const manifest = workspace.get(glob)?.manifest;
    if (glob.startsWith('.')) {
      if (!existsSync(join(root, glob.replace(/\/\*$/, '')))) fail(`${glob} matches no folder`);
    } else if (!manifest) {
      fail(`${glob} is not a package of the workspace`);
    } else if (!pnpmCommands.includes(command) && !manifest.scripts?.[command]) {
      fail(`${glob} has no ${command}`);
    }
    return;
  }
  if (command && !pnpmCommands.includes(command) && !rootManifest.scripts?.[command]) {
    fail(`no root script ${command}`);
  }
}

/** The package `npm create <initializer>` runs: `@scope` is `@scope/create`. */
function initializer(spec: string): string {
  const name = spec.replace(/@latest$/, '');
  return name.startsWith('@') && !name.includes('/') ? `${name}/create` : name;
}

/** The creator's `--template` and `--payment` take only the ids it has. */
function checkCreate(args: string[], fail: (problem: string) => void): void {
  const value = (flag: string) => args[args.indexOf(flag) + 1];
  if (args.includes('--template') && !TEMPLATES.some((t) => t.id === value('--template'))) {
    fail(`the creator has no template ${value('--template')}`);
  }
  if (args.includes('--payment') && !PAYMENTS.some((p) => p.id === value('--payment'))) {
    fail(`the creator has no payment path ${value('--payment')}`);
  }
}
