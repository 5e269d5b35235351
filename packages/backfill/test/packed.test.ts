import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  checkoutSession,
  type StripeStandIn,
  startStripeStandIn,
  visitor,
} from '@datafast-checkout/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

// What a user gets from npm: the packed tarballs of backfill and its siblings (core,
// payment-links, packed as `changeset publish` packs them: `pnpm pack` turns `workspace:`
// ranges into versions), installed with npm into an empty folder outside the repository, run
// with `npx` against a Stripe stand-in. Nothing comes from the registry: the three packages have
// no other dependency.
const run = promisify(execFile);
const packages = fileURLToPath(new URL('../..', import.meta.url));
const secretKey = 'sk_test_packed_do_not_print';

let standIn: StripeStandIn;
let scratch: string;
let app: string;

beforeAll(async () => {
  standIn = await startStripeStandIn();
  standIn.put(
    checkoutSession({ created: Date.UTC(2026, 2, 2) / 1000, client_reference_id: visitor }),
  );
  scratch = await mkdtemp(join(tmpdir(), 'backfill-packed-'));
  const tarballs = join(scratch, 'tarballs');
  await mkdir(tarballs);
  for (const name of ['core', 'payment-links', 'backfill']) {
    await run('pnpm', ['pack', '--pack-destination', tarballs], { cwd: join(packages, name) });
  }
  const packed = await readdir(tarballs);
  const tarball = (name: string) => {
    const file = packed.find((candidate) => candidate.startsWith(`datafast-checkout-${name}-`));
    if (!file) throw new Error(`no tarball of ${name} in ${packed.join(', ')}`);
    return `file:${join(tarballs, file)}`;
  };
  app = join(scratch, 'app');
  await mkdir(app);
  await writeFile(
    join(app, 'package.json'),
    JSON.stringify({
      name: 'backfill-user',
      private: true,
      overrides: {
        '@datafast-checkout/core': tarball('core'),
        '@datafast-checkout/payment-links': tarball('payment-links'),
      },
    }),
  );
  await run(
    'npm',
    ['install', tarball('backfill'), '--offline', '--no-audit', '--no-fund', '--loglevel=error'],
    { cwd: app },
  );
}, 180_000);
afterAll(async () => {
  await standIn?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

it('npx @datafast-checkout/backfill stripe --dry-run works from the packed tarball outside the repository', async () => {
  const { stdout, stderr } = await run(
    'npx',
    [
      '--no',
      '@datafast-checkout/backfill',
      'stripe',
      '--since',
      '2026-03-01',
      '--until',
      '2026-04-01',
      '--dry-run',
    ],
    {
      cwd: app,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: scratch,
        STRIPE_SECRET_KEY: secretKey,
        STRIPE_API_BASE: standIn.url,
      },
    },
  );
  expect(stdout).toMatch(/pi_\w+\s+29\.99\s+USD\s+payment\s+yes/);
  expect(stdout).toContain('found 1 · reported 0 (dry run)');
  expect(`${stdout}${stderr}`).not.toContain(secretKey);
});
