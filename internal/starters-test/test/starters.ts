import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEMPLATES, type Template } from '@datafast-checkout/create';
import { startDevServer } from '@datafast-checkout/devserver';
import { startApp } from '@datafast-checkout/devserver/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { copyExample, run, userEnvironment, useTarballs } from './copy.js';

const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';
const NPM_INSTALL = ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];

/** `npm create @datafast-checkout`, run from the creator's tarball as npm runs it from the registry. */
async function npmCreate(cwd: string, folder: string, template: Template, payment: string) {
  const create = inject('tarballs')['@datafast-checkout/create'] as string;
  await run(cwd, 'npm', [
    'exec',
    '--yes',
    `--package=file:${create}`,
    '--',
    'create-datafast-checkout',
    folder,
    '--template',
    template.id,
    '--payment',
    payment,
  ]);
}

/** The workspace's env vars that npm would take for its own settings, unset for the app. */
const unsetWorkspaceEnv = Object.fromEntries(
  Object.keys(process.env)
    .filter((name) => /^(npm_|PNPM_|TURBO_)/i.test(name))
    .map((name) => [name, undefined]),
);

/** Every file of a folder, `/`-separated, with its text. */
async function contents(dir: string, prefix = ''): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) for (const [f, t] of await contents(dir, path)) files.set(f, t);
    else files.set(path, await readFile(join(dir, path), 'utf8'));
  }
  return files;
}

/** What differs between two projects' files; package.json without its `name`. */
async function differences(a: string, b: string): Promise<string[]> {
  const [left, right] = await Promise.all([contents(a), contents(b)]);
  const unnamed = (text = '{}') => JSON.stringify({ ...JSON.parse(text), name: undefined });
  return [...new Set([...left.keys(), ...right.keys()])].filter((file) =>
    file === 'package.json'
      ? unnamed(left.get(file)) !== unnamed(right.get(file))
      : left.get(file) !== right.get(file),
  );
}

/**
 * For one framework, each in a folder outside the workspace: the example folder copied by hand,
 * and the starters `npm create` writes for each payment path. A project is installed with plain
 * npm from the packed packages, built, started with `npm start` against a devserver to pay once
 * with a visitor cookie, and made to pass its own typecheck and tests.
 *
 * The Stripe starter is the example with its README's repository-only section and its name
 * changed, nothing else: it is checked to be exactly that, file by file, so the hand copy's
 * install, build, checkout and tests stand for it too (running them twice takes minutes and
 * proves nothing more). The direct-checkout starter differs in code, so it gets the full run.
 */
export function describeStarters(id: Template['id']): void {
  const template = TEMPLATES.find((t) => t.id === id) as Template;
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), `datafast-starter-${id}-`));
  });
  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('npm create with the Stripe payment link writes the example, renamed, without the repo-only README section', async () => {
    await copyExample(template.example, join(scratch, 'pristine'));
    await npmCreate(scratch, 'created-stripe', template, 'stripe');

    expect(await differences(join(scratch, 'pristine'), join(scratch, 'created-stripe'))).toEqual([
      'README.md',
    ]);
    const readme = await readFile(join(scratch, 'created-stripe', 'README.md'), 'utf8');
    const original = await readFile(join(scratch, 'pristine', 'README.md'), 'utf8');
    const withoutRepoOnly = original
      .replace(/^# .*/, '# created-stripe')
      .replace(/<!-- #region repo-only -->[\s\S]*?<!-- #endregion repo-only -->\n\n/, '');
    expect(readme).toBe(withoutRepoOnly);
  });

  describe.each([
    { copy: `examples/${template.example} copied by hand`, payment: undefined },
    { copy: 'npm create, direct checkout', payment: 'direct' },
  ])('$copy', ({ payment }) => {
    let dir: string;
    let scripts: Record<string, string>;

    it('installs with npm from the packed packages, and builds', async () => {
      const folder = payment ? `created-${payment}` : 'copied';
      dir = join(scratch, folder);
      if (payment) await npmCreate(scratch, folder, template, payment);
      else await copyExample(template.example, dir);
      await useTarballs(dir, inject('tarballs'));

      await run(dir, 'npm', NPM_INSTALL);
      ({ scripts } = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')));
      if (scripts.build) await run(dir, 'npm', ['run', 'build']);
    });

    it('reports a checkout to a devserver, attributed to the visitor in its cookie', async () => {
      const dev = await startDevServer();
      const app = await startApp({
        command: 'npm',
        args: ['start'],
        cwd: dir,
        env: { ...unsetWorkspaceEnv, DATAFAST_BASE_URL: dev.url, DATAFAST_API_KEY: dev.apiKey },
      });
      try {
        const response = await fetch(`${app.url}/api/checkout`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: `datafast_visitor_id=${visitor}` },
          body: JSON.stringify({ amount: 29.99, currency: 'USD' }),
        });
        expect(response.status, app.output()).toBe(200);
        const { transaction_id } = (await response.json()) as { transaction_id: string };
        expect(await dev.waitForPayment(transaction_id)).toMatchObject({
          amount: 29.99,
          currency: 'USD',
          datafast_visitor_id: visitor,
        });
      } finally {
        await app.stop();
        await dev.close();
      }
    });

    it('passes its own typecheck and tests', async () => {
      await run(dir, 'npm', ['run', 'typecheck']);
      await run(dir, 'npm', ['test'], userEnvironment({ CI: 'true' }));
    });
  });
}
