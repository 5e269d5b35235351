import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCreate, TEMPLATES } from '../src/index.js';

const BIN = fileURLToPath(new URL('../bin/create-datafast-checkout.js', import.meta.url));
const templatesDir = fileURLToPath(new URL('../dist/templates/', import.meta.url));

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'create-cli-'));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

/** The built bin as `npm create` runs it; stdin is not a terminal (as in CI). */
function create(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd, env: { ...process.env, npm_config_user_agent: '', ...env } },
      (error, stdout, stderr) => resolve({ code: Number(error?.code ?? 0), stdout, stderr }),
    );
  });
}
const manifestOf = async (dir: string) =>
  JSON.parse(await readFile(join(cwd, dir, 'package.json'), 'utf8'));

describe('create-datafast-checkout without a terminal (CI)', () => {
  it('writes the template and payment path the flags name, and says what to run next', async () => {
    const result = await create(['shop', '--template', 'next', '--payment', 'stripe']);

    expect(result.code, result.stderr).toBe(0);
    expect((await manifestOf('shop')).dependencies).toHaveProperty('next');
    expect(existsSync(join(cwd, 'shop/app/api/webhooks/stripe/route.ts'))).toBe(true);
    expect(result.stdout).toContain(
      'Created shop: Next.js, with a direct checkout, a Stripe payment link and Checkout with the webhook.',
    );
    expect(result.stdout).toMatch(
      /cd shop\n\s+npm install\n\s+npm run dev\s+the app on http:\/\/localhost:3000/,
    );
    // Unreleased (0.0.0): exactly the tarballs the project needs, core included.
    const tarballs = /npm install (~\/datafast-packs\/[\s\S]*?)\nOnce they are published/
      .exec(result.stdout)?.[1]
      ?.split(/\s+\\?\s*/)
      .filter(Boolean);
    expect(tarballs).toEqual([
      '~/datafast-packs/datafast-checkout-core-0.0.0.tgz',
      '~/datafast-packs/datafast-checkout-devserver-0.0.0.tgz',
      '~/datafast-packs/datafast-checkout-next-0.0.0.tgz',
      '~/datafast-packs/datafast-checkout-payment-links-0.0.0.tgz',
      // The Next.js starter keeps reports in PostgreSQL when DATABASE_URL is set.
      '~/datafast-packs/datafast-checkout-postgres-0.0.0.tgz',
    ]);
    expect(result.stdout).toContain('Once they are published, the plain `npm install` works.');
  });

  it('refuses to guess: without --template and --payment it asks for them, or --yes', async () => {
    const result = await create(['shop', '--template', 'express']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('give --template and --payment (or --yes for the defaults)');
    expect(existsSync(join(cwd, 'shop'))).toBe(false);
  });

  it('takes the defaults for what --yes leaves out: express, direct checkout, my-shop', async () => {
    const result = await create(['--yes']);

    expect(result.code, result.stderr).toBe(0);
    const manifest = await manifestOf('my-shop');
    expect(manifest.name).toBe('my-shop');
    expect(manifest.dependencies).toHaveProperty('express');
    expect(manifest.dependencies).not.toHaveProperty('stripe');
  });

  it('refuses a folder that is not empty, and writes into it with --force, keeping other files', async () => {
    await mkdir(join(cwd, 'shop'));
    await writeFile(join(cwd, 'shop', 'notes.txt'), 'mine');

    const refused = await create(['shop', '--template', 'sveltekit', '--payment', 'direct']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('shop is not empty; choose another folder, or pass --force');
    expect(existsSync(join(cwd, 'shop/package.json'))).toBe(false);

    const forced = await create([
      'shop',
      '--template',
      'sveltekit',
      '--payment',
      'direct',
      '--force',
    ]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(existsSync(join(cwd, 'shop/svelte.config.js'))).toBe(true);
    expect(await readFile(join(cwd, 'shop/notes.txt'), 'utf8')).toBe('mine');
  });

  it('counts a folder holding only .git as empty', async () => {
    await mkdir(join(cwd, 'shop/.git'), { recursive: true });
    const result = await create(['shop', '--yes']);
    expect(result.code, result.stderr).toBe(0);
  });

  it('exits 2 naming the choices for an unknown template or flag', async () => {
    const template = await create(['shop', '--template', 'remix', '--yes']);
    expect(template.code).toBe(2);
    expect(template.stderr).toContain(
      '--template must be one of express, next, sveltekit, hono, not "remix"',
    );
    const flag = await create(['shop', '--colour']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("Unknown option '--colour'");
  });

  it('names the package manager that ran it in the next steps', async () => {
    const result = await create(['shop', '--yes'], {
      npm_config_user_agent: 'pnpm/10.34.9 npm/? node/v20',
    });
    expect(result.stdout).toMatch(/pnpm install\n\s+pnpm dev/);
  });

  it('prints its version for --version', async () => {
    const { version } = JSON.parse(
      await readFile(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8'),
    );
    const result = await create(['--version']);
    expect(result.stdout.trim()).toBe(version);
  });

  it('prints its usage for --help', async () => {
    const result = await create(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('npm create @datafast-checkout@latest my-shop -- --template');
  });
});

describe('create-datafast-checkout in a terminal', () => {
  /** Runs the creator with these lines typed, as readline reads a terminal. */
  async function typed(answers: string, args: string[] = []) {
    const input = new PassThrough();
    const output = new PassThrough();
    let said = '';
    output.on('data', (chunk) => {
      said += chunk;
    });
    input.end(answers);
    const code = await runCreate(args, {
      input,
      output,
      errors: output,
      interactive: true,
      templatesDir,
    });
    return { code, said };
  }

  it('asks for the folder, the framework and the payment path, and writes what was chosen', async () => {
    const directory = join(cwd, 'asked');
    const { code, said } = await typed(`${directory}\n3\n2\n`);

    expect(code, said).toBe(0);
    expect(said).toContain('Which framework?\n  1. Express');
    expect(said).toContain('Which payment path?\n  1. Direct checkout');
    expect(existsSync(join(directory, 'svelte.config.js'))).toBe(true);
    expect(existsSync(join(directory, 'src/routes/api/webhooks/stripe/+server.ts'))).toBe(true);
  });

  it('asks again after an answer that is not one of the numbers, and takes Enter as the first', async () => {
    const directory = join(cwd, 'again');
    const { code, said } = await typed('9\nnext\n\n', [directory, '--payment', 'direct']);

    expect(code, said).toBe(0);
    // One number per framework: the question lists every template.
    const askAgain = new RegExp(`Type a number from 1 to ${TEMPLATES.length}\\.`, 'g');
    expect(said.match(askAgain)).toHaveLength(2);
    expect(existsSync(join(directory, 'server.js'))).toBe(true);
  });

  it('says at once, before the other questions, that the folder is not empty', async () => {
    const directory = join(cwd, 'taken');
    await mkdir(directory);
    await writeFile(join(directory, 'notes.txt'), 'mine');
    const { code, said } = await typed(`${directory}\n1\n1\n`);

    expect(code).toBe(1);
    expect(said).toContain('taken is not empty; choose another folder, or pass --force');
    expect(said).not.toContain('Which framework?');
  });

  it('stops without writing when the input ends before an answer', async () => {
    const directory = join(cwd, 'ended');
    const { code, said } = await typed('', [directory]);

    expect(code).toBe(1);
    expect(said).toContain('cancelled');
    expect(existsSync(directory)).toBe(false);
  });
});
