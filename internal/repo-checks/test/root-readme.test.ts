import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { root, shellCommands } from './workspace.js';

// The root README is what a new user follows on a fresh machine with only Node and npm: pnpm
// comes through npx (`npx --yes pnpm@…`), as in the set-up commands.
const readme = readFileSync(`${root}README.md`, 'utf8');

const commands = () => shellCommands(readme);

describe('the root README', () => {
  it('runs pnpm only through npx, never as a bare command', () => {
    const bare = commands().filter((command) => /(^|[\s;&|(])pnpm\s/.test(command));
    expect(bare).toEqual([]);
    expect(commands()).toContain('npx --yes pnpm@10.34.9 install && npx --yes pnpm@10.34.9 test');
  });

  it('uses npm run only for root scripts that do not need pnpm (turbo runs tasks with pnpm)', () => {
    const { scripts } = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as {
      scripts: Record<string, string>;
    };
    // A script the root does not have but every example has (`dev`) is run in a project made
    // from an example, as the README says there.
    const projectScripts = readdirSync(`${root}examples`)
      .map((name) => {
        const manifest = readFileSync(`${root}examples/${name}/package.json`, 'utf8');
        return Object.keys((JSON.parse(manifest) as { scripts: object }).scripts);
      })
      .reduce((common, names) => common.filter((name) => names.includes(name)));
    const needPnpm = commands()
      .flatMap((command) => [...command.matchAll(/(?:^|&&\s*)npm run (\S+)/g)])
      .map((match) => match[1] ?? '')
      .filter((name) =>
        scripts[name]
          ? /\b(turbo|pnpm)\b/.test(scripts[name] ?? '')
          : !projectScripts.includes(name),
      );
    expect(needPnpm).toEqual([]);
  });

  it('starts the SvelteKit example with ORIGIN, which its form posts need', () => {
    const starts = commands().filter((command) => command.startsWith('cd examples/sveltekit-app'));
    expect(starts.length).toBeGreaterThan(0);
    for (const command of starts) expect(command).toMatch(/\bORIGIN=http:\/\/localhost:\d+ /);
  });

  it('says that npm install 404s until the first release, and what to do instead', () => {
    expect(readme).toContain('Until the first release is on npm, this answers 404');
    expect(readme).toMatch(/### Before the first release\n[\s\S]*?pack --pack-destination/);
  });
});

/** The vocabulary table's rows, each a list of its cells (the header and separator left out). */
function vocabularyRows(): string[][] {
  const section = readme.split('### One vocabulary across the adapters')[1]?.split('\n\n|')[1];
  if (!section) throw new Error('the root README has no vocabulary table');
  return (`|${section}`.split('\n\n')[0] ?? '')
    .split('\n')
    .slice(2)
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}

/**
 * The adapters' columns of the vocabulary table, in order: the package each stands for, and the
 * entry its runtime names come from (Nuxt's `.` is its module; the names are in `/server`).
 */
const ADAPTER_COLUMNS = [
  ['Express', 'express', '@datafast-checkout/express'],
  ['Next.js', 'next', '@datafast-checkout/next'],
  ['SvelteKit', 'sveltekit', '@datafast-checkout/sveltekit'],
  ['Hono', 'hono', '@datafast-checkout/hono'],
  ['Fastify', 'fastify', '@datafast-checkout/fastify'],
  ['Nuxt', 'nuxt', '@datafast-checkout/nuxt/server'],
  ['Astro', 'astro', '@datafast-checkout/astro'],
] as const;

describe("the root README's vocabulary table", () => {
  // Every adapter package in the repository has its column, in this order.
  const columns = ADAPTER_COLUMNS.filter(([, name]) => existsSync(`${root}packages/${name}`));
  const adapters = columns.map(([, name]) => name);

  it('has one column per adapter package and the rows every adapter must answer', () => {
    const header = readme
      .split('### One vocabulary across the adapters')[1]
      ?.split('\n')
      .find((line) => line.startsWith('| concept'));
    expect(header?.replace(/\s+/g, ' ')).toBe(
      `| concept | name, shape | ${columns.map(([label]) => label).join(' | ')} |`,
    );
    expect(vocabularyRows().map((row) => row[0])).toEqual([
      'installs the request-bound client',
      'the request-bound client',
      'tracker proxy',
      'keeps reports alive after the response',
      'shutdown',
      'drain route (shared outbox)',
      'payment links',
      'exported names',
    ]);
  });

  it.each(adapters)(
    'lists names that @datafast-checkout/%s exports, as functions',
    async (name) => {
      const row = vocabularyRows().find((cells) => cells[0] === 'exported names');
      const cell = row?.[2 + adapters.indexOf(name)] ?? '';
      const names = [...cell.matchAll(/`(\w+)`/g)].map((match) => match[1] ?? '');
      expect(names.length).toBeGreaterThan(0);
      const entry = columns.find(([, column]) => column === name)?.[2] ?? '';
      const exported = (await import(entry)) as Record<string, unknown>;
      expect(names.filter((exportName) => typeof exported[exportName] !== 'function')).toEqual([]);
      // Every name of the table's "name, shape" column the adapter has (Next.js has no installer).
      for (const shared of ['getDatafast', 'datafastProxy']) expect(names).toContain(shared);
    },
  );
});
