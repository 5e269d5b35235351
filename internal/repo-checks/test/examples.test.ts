import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type PackageJson, publishedPackages, root } from './workspace.js';

// Each example is a starter that users copy out of the repository: it must need nothing of the
// repository once copied. (internal/starters-test copies, installs and runs them; these checks
// name the broken rule at once.)

interface ExampleManifest extends PackageJson {
  scripts: Record<string, string>;
  dependencies?: Record<string, string>;
}

const examples = readdirSync(`${root}examples`).map((name) => {
  const dir = `${root}examples/${name}`;
  const manifest = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')) as ExampleManifest;
  return { name, dir, manifest };
});
const published = new Map(
  publishedPackages().map(({ manifest }) => [
    manifest.name,
    manifest as PackageJson & { version: string },
  ]),
);

const SKIPPED = new Set([
  'node_modules',
  '.next',
  'build',
  'dist',
  '.svelte-kit',
  '.nuxt',
  '.output',
  '.astro',
  '.turbo',
]);
function filesOf(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED.has(entry.name)) return [];
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? filesOf(dir, path) : [path];
  });
}

/** The commands a script runs: each segment's first word, and an app command after `--`. */
function commandsOf(script: string): string[] {
  return script.split(/&&|\|\||;/).flatMap((segment) => {
    const words = segment
      .trim()
      .split(/\s+/)
      .filter((word) => !/^[A-Z_]+=/.test(word));
    const app = words.indexOf('--');
    return [words[0] ?? '', ...(app === -1 ? [] : [words[app + 1] ?? ''])];
  });
}

/** The bins that a dependency of the example provides, from its installed package.json. */
function binsOf(dir: string, dependency: string): string[] {
  const manifest = JSON.parse(
    readFileSync(`${dir}/node_modules/${dependency}/package.json`, 'utf8'),
  ) as { name: string; bin?: string | Record<string, string> };
  if (!manifest.bin) return [];
  return typeof manifest.bin === 'string'
    ? [manifest.name.replace(/^@[^/]+\//, '')]
    : Object.keys(manifest.bin);
}

describe.each(examples)('examples/$name', ({ name, dir, manifest }) => {
  const dependencies = { ...manifest.dependencies, ...manifest.devDependencies };

  it('names our packages by the released range of the workspace, and no private package', () => {
    const ours = Object.entries(dependencies).filter(([dep]) =>
      dep.startsWith('@datafast-checkout/'),
    );
    expect(ours.length).toBeGreaterThan(0);
    for (const [dep, range] of ours) {
      const target = published.get(dep);
      expect(target, `${dep} is not a published package`).toBeDefined();
      expect(range, dep).toBe(`^${target?.version}`);
    }
    expect(JSON.stringify(manifest)).not.toContain('workspace:');
  });

  it('lists every tool its scripts run', () => {
    const provided = new Set([
      'node',
      'npm',
      ...Object.keys(dependencies).flatMap((d) => binsOf(dir, d)),
    ]);
    for (const [script, line] of Object.entries(manifest.scripts)) {
      for (const command of commandsOf(line)) {
        // `prepare` falls back to `echo` when svelte-kit is not installed yet.
        if (command === 'echo') continue;
        expect(
          provided.has(command),
          `"${script}" runs ${command}, which no dependency provides`,
        ).toBe(true);
      }
    }
  });

  it('lists every package its tests and configs import, and extends no file outside its folder', () => {
    for (const file of filesOf(dir).filter((f) => /\.(m?[jt]sx?)$/.test(f))) {
      const text = readFileSync(`${dir}/${file}`, 'utf8');
      for (const [, specifier = ''] of text.matchAll(/from ['"]([^'".$][^'"]*)['"]/g)) {
        const pkg = specifier.startsWith('@')
          ? specifier.split('/').slice(0, 2).join('/')
          : (specifier.split('/')[0] ?? '');
        // `@/lib/…` is the Next.js and Astro examples' own path alias; `astro:middleware` is a
        // module Astro provides.
        if (
          specifier.startsWith('node:') ||
          specifier.startsWith('astro:') ||
          specifier.startsWith('@/') ||
          builtinModules.includes(pkg)
        )
          continue;
        expect(dependencies, `${file} imports ${specifier}`).toHaveProperty([pkg]);
      }
    }
    for (const file of filesOf(dir).filter((f) => /(^|\/)tsconfig[^/]*\.json$/.test(f))) {
      const { extends: base } = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) as {
        extends?: string;
      };
      if (base === undefined) continue;
      expect(relative(dir, resolve(dir, file, '..', base)), `${file} extends ${base}`).not.toMatch(
        /^\.\./,
      );
    }
  });

  it('documents every variable its app reads, in its README and its .env.example', () => {
    const readme = readFileSync(`${dir}/README.md`, 'utf8');
    const envExample = readFileSync(`${dir}/.env.example`, 'utf8');
    const app = filesOf(dir).filter(
      (f) => /\.(m?[jt]sx?|svelte)$/.test(f) && !f.startsWith('test/') && !f.includes('config.'),
    );
    const read = new Set(
      app.flatMap((file) =>
        [
          ...readFileSync(`${dir}/${file}`, 'utf8').matchAll(
            /\b(?:process\.env|env)\.([A-Z][A-Z0-9_]+)/g,
          ),
        ].map((m) => m[1] ?? ''),
      ),
    );
    // Read by the client itself, and the port every example listens on.
    for (const variable of ['PORT', 'DATAFAST_API_KEY', 'DATAFAST_BASE_URL']) read.add(variable);
    for (const variable of read) {
      expect(readme, `README.md: ${variable}`).toContain(`\`${variable}\``);
      expect(envExample, `.env.example: ${variable}`).toMatch(new RegExp(`^#? ?${variable}=`, 'm'));
    }
  });

  it('opens its README with how to start a project from it, in two commands', () => {
    const readme = readFileSync(`${dir}/README.md`, 'utf8');
    const firstSection = /\n## (.*)\n\n```sh\n(.*)\n(.*)\n```/.exec(readme);
    expect(firstSection?.[1]).toBe('Use this as a starter');
    expect(firstSection?.[2]).toMatch(
      /^npm create @datafast-checkout@latest \S+ -- --template \w+$/,
    );
    expect(firstSection?.[3]).toMatch(/npm run dev$/);
    if (name === 'sveltekit-app') expect(readme).toContain('`ORIGIN`');
  });

  it('keeps its local data and secrets out of git', () => {
    const ignored = readFileSync(`${dir}/.gitignore`, 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules/', '.env', '.devserver.json']));
    expect(existsSync(`${dir}/.env.example`)).toBe(true);
  });
});
