import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import { visitor } from '@datafast-checkout/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

// The demo's command (devserver README, "Stripe stand-in"): the devserver's own Stripe stand-in,
// its links paid through the hosted checkout form with no webhook configured, backfilled into
// the same devserver by the built CLI.
const bin = fileURLToPath(new URL('../bin/datafast-backfill.js', import.meta.url));
let dev: DevServer;
let cwd: string;

beforeAll(async () => {
  dev = await startDevServer({
    stripe: {
      paymentLinks: [
        { id: 'plink_once', name: 'Pro plan', unitAmount: 2999, currency: 'usd' },
        { id: 'plink_yen', name: 'Sticker', unitAmount: 500, currency: 'jpy' },
        { id: 'plink_monthly', name: 'Team', unitAmount: 900, currency: 'eur', interval: 'month' },
      ],
    },
  });
  cwd = await mkdtemp(join(tmpdir(), 'backfill-demo-'));
});
afterAll(async () => {
  await dev?.close();
  if (cwd) await rm(cwd, { recursive: true, force: true });
});

/** Pays a link as its checkout page's form does. */
async function pay(link: string, reference = ''): Promise<void> {
  const response = await fetch(`${dev.url}/buy/${link}`, {
    method: 'POST',
    body: new URLSearchParams({ client_reference_id: reference, email: 'ada@example.com' }),
    redirect: 'manual',
  });
  // 303 to the success URL, or the stand-in's own receipt page when the link has none.
  expect([200, 303]).toContain(response.status);
  await dev.stripe.settled();
}

it("backfills the devserver's stand-in Stripe account into the devserver with the README's command", async () => {
  await pay('plink_once', visitor);
  await pay('plink_once');
  await pay('plink_yen', visitor);
  await pay('plink_monthly', visitor);
  expect(dev.payments()).toEqual([]);

  const { stdout } = await promisify(execFile)(
    process.execPath,
    [bin, 'stripe', '--since', '2026-01-01', '--yes'],
    {
      cwd,
      env: {
        PATH: process.env.PATH ?? '',
        STRIPE_SECRET_KEY: dev.stripe.secretKey,
        STRIPE_API_BASE: dev.stripe.apiBase,
        DATAFAST_API_KEY: dev.apiKey,
        DATAFAST_BASE_URL: dev.url,
      },
    },
  );
  expect(stdout).toContain(
    'found 4 · reported 4 · already in DataFast 0 · refunds 0 · unattributed 1',
  );
  const stored = dev
    .payments()
    .map((p) => [p.amount, p.currency, p.datafast_visitor_id ?? null])
    .sort((a, b) => String(a).localeCompare(String(b)));
  expect(stored).toEqual(
    [
      [29.99, 'USD', visitor],
      [29.99, 'USD', null],
      [500, 'JPY', visitor],
      [9, 'EUR', visitor],
    ].sort((a, b) => String(a).localeCompare(String(b))),
  );
});
