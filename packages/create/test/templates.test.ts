import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProject, PAYMENTS, type PaymentPath, TEMPLATES } from '../src/index.js';

// What `npm create @datafast-checkout` writes, for every framework and payment path, from the
// templates the build made of the examples. (internal/starters-test installs, builds and runs
// each one; this checks what is written.)

const root = fileURLToPath(new URL('../../../', import.meta.url));
const templatesDir = fileURLToPath(new URL('../dist/templates/', import.meta.url));
const [direct, stripe] = PAYMENTS as [PaymentPath, PaymentPath];

async function filesOf(dir: string, prefix = ''): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await filesOf(dir, path)));
    else files.push(path);
  }
  return files.sort();
}
const read = (dir: string, file: string) => readFile(join(dir, file), 'utf8');

/** The relative imports of a code file that name no file of the project. */
function danglingImports(dir: string, file: string, text: string): string[] {
  if (!/\.(m?[jt]sx?|svelte)$/.test(file)) return [];
  const specifiers = [...text.matchAll(/from ['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1] ?? '');
  return specifiers.filter((specifier) => {
    // SvelteKit generates ./$types; TypeScript's ESM imports name a .ts file as .js.
    if (specifier.endsWith('/$types')) return false;
    const base = join(dir, file, '..', specifier.replace(/\.js$/, ''));
    return !['', '.js', '.ts', '.tsx', '/index.ts'].some((ext) => existsSync(`${base}${ext}`));
  });
}

/** Every published package of the workspace, with the range a template must name it by. */
async function releasedRanges(): Promise<Record<string, string>> {
  const ranges: Record<string, string> = {};
  for (const folder of await readdir(join(root, 'packages'))) {
    const manifest = JSON.parse(await read(join(root, 'packages', folder), 'package.json'));
    if (!manifest.private) ranges[manifest.name] = `^${manifest.version}`;
  }
  return ranges;
}

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'create-templates-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe.each(TEMPLATES)('the $id template', (template) => {
  const example = join(root, 'examples', template.example);

  it("is the example's own files, without what a clone would not have", async () => {
    const built = await filesOf(join(templatesDir, template.id));
    const forbidden =
      /(^|\/)(node_modules|\.next|build|dist|\.svelte-kit|\.nuxt|\.output|\.astro|\.turbo)\/|next-env\.d\.ts$|\.devserver\.json$|(^|\/)\.env$/;
    expect(built.filter((file) => forbidden.test(file))).toEqual([]);
    expect(built).toContain('_gitignore');
    for (const file of built.filter((f) => f !== 'package.json' && f !== '_gitignore')) {
      expect(await read(join(templatesDir, template.id), file), file).toBe(
        await read(example, file),
      );
    }
  });

  it.each([direct, stripe])(
    'with $id, names our packages at the released versions',
    async (payment) => {
      const dir = join(scratch, `${template.id}-${payment.id}-versions`);
      await createProject({ template, payment, directory: dir, templatesDir });
      const manifest = JSON.parse(await read(dir, 'package.json'));
      const ranges = await releasedRanges();
      const ours = Object.entries({ ...manifest.dependencies, ...manifest.devDependencies }).filter(
        ([name]) => name.startsWith('@datafast-checkout/'),
      );
      expect(ours.length).toBeGreaterThan(1);
      for (const [name, range] of ours) expect(range, name).toBe(ranges[name]);
      expect(manifest.devDependencies['@datafast-checkout/devserver']).toBeDefined();
      expect(manifest.scripts.dev).toMatch(/^(\S+=\S+ )?datafast-devserver .*-- /);
      expect(manifest.name).toBe(`${template.id}-${payment.id}-versions`);
    },
  );

  it('with direct, has no Stripe file, import, dependency, variable or section', async () => {
    const dir = join(scratch, `${template.id}-direct`);
    const { files } = await createProject({
      template,
      payment: direct,
      directory: dir,
      templatesDir,
    });

    for (const removed of stripe.files[template.id]) {
      expect(existsSync(join(dir, removed)), removed).toBe(false);
    }
    const manifest = JSON.parse(await read(dir, 'package.json'));
    expect(Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })).not.toEqual(
      expect.arrayContaining(['stripe']),
    );
    expect(manifest.dependencies['@datafast-checkout/payment-links']).toBeUndefined();
    for (const file of files) {
      const text = await read(dir, file);
      expect(text, file).not.toMatch(/#(end)?region/);
      expect(danglingImports(dir, file, text), file).toEqual([]);
      expect(text, file).not.toMatch(
        /from ['"](stripe|@datafast-checkout\/payment-links[^'"]*|\.\/stripe(\.js)?)['"]/,
      );
      expect(text, file).not.toMatch(/STRIPE_/);
    }
    expect(await read(dir, 'README.md')).not.toMatch(/^## Stripe/m);
    // `npm run dev` reads no Stripe config: the stand-in stays out of the banner and the app.
    expect(manifest.scripts.dev).not.toMatch(/--config|devserver\.config/);
  });

  it('with stripe, has every file of the example, its Stripe regions marked for later', async () => {
    const dir = join(scratch, `${template.id}-stripe`);
    const { files } = await createProject({
      template,
      payment: stripe,
      directory: dir,
      templatesDir,
    });

    const exampleFiles = (await filesOf(join(templatesDir, template.id))).map((f) =>
      f === '_gitignore' ? '.gitignore' : f,
    );
    expect(files).toEqual(exampleFiles.sort());
    expect(await read(dir, '.env.example')).toContain('STRIPE_WEBHOOK_SECRET');
    expect(await read(dir, 'README.md')).toContain('<!-- #region stripe -->');
  });

  it.each([direct, stripe])(
    'with $id, stands alone: no workspace protocol, no file outside its folder, no repo-only text',
    async (payment) => {
      const dir = join(scratch, `${template.id}-${payment.id}-alone`);
      const { files } = await createProject({ template, payment, directory: dir, templatesDir });
      for (const file of files) {
        const text = await read(dir, file);
        expect(text, file).not.toContain('workspace:');
        expect(text, file).not.toMatch(/\.\.\/\.\.\/|#region repo-only|Use this as a starter/);
      }
      expect(files).toContain('.gitignore');
      expect(files).toContain('.env.example');
      expect((await read(dir, 'README.md')).split('\n')[0]).toBe(
        `# ${template.id}-${payment.id}-alone`,
      );
    },
  );
});
