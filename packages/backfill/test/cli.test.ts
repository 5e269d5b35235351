// size: the CLI's commands, prompts and exit codes, each run as a real child process.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import {
  checkoutSession,
  refund,
  type StripeStandIn,
  startStripeStandIn,
  visitor,
} from '@datafast-checkout/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

// The built CLI as `npx @datafast-checkout/backfill` runs it, in a child process without a
// terminal (pipes), so it prints plain lines and never prompts.
const bin = fileURLToPath(new URL('../bin/datafast-backfill.js', import.meta.url));
const secretKey = 'sk_test_cli_do_not_print_4242';
const t0 = Date.UTC(2026, 2, 1) / 1000;
const range = ['--since', '2026-03-01', '--until', '2026-04-01'];
const paid = checkoutSession({ created: t0 + 3600, client_reference_id: visitor });
const yen = checkoutSession({ created: t0 + 7200, currency: 'jpy', amount_total: 5000 });
const returned = refund({ created: t0 + 9000, amount: 1000, payment_intent: paid.payment_intent });

let dev: DevServer;
let standIn: StripeStandIn;
let cwd: string;

beforeAll(async () => {
  [dev, standIn] = await Promise.all([startDevServer(), startStripeStandIn()]);
  for (const object of [paid, yen, returned]) standIn.put(object);
});
beforeEach(async () => {
  await dev.reset();
  cwd = await mkdtemp(join(tmpdir(), 'backfill-cli-'));
  return () => rm(cwd, { recursive: true, force: true });
});
afterAll(() => Promise.all([dev?.close(), standIn?.close()]));

function cli(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      {
        cwd,
        env: {
          PATH: process.env.PATH ?? '',
          STRIPE_SECRET_KEY: secretKey,
          STRIPE_API_BASE: standIn.url,
          DATAFAST_API_KEY: dev.apiKey,
          DATAFAST_BASE_URL: dev.url,
          ...env,
        },
      },
      (error, stdout, stderr) => {
        const code = error ? Number((error as { code?: unknown }).code ?? 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/**
 * Runs the CLI on a pseudo-terminal (util-linux `script`), answering `answer` once it asks;
 * resolves what the terminal showed and the exit code.
 */
function onTerminal(args: string[], answer: string) {
  return new Promise<{ code: number; screen: string }>((resolve, reject) => {
    const command = [process.execPath, bin, ...args].map((part) => `'${part}'`).join(' ');
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      cwd,
      env: {
        PATH: process.env.PATH ?? '',
        TERM: 'xterm',
        STRIPE_SECRET_KEY: secretKey,
        STRIPE_API_BASE: standIn.url,
        DATAFAST_API_KEY: dev.apiKey,
        DATAFAST_BASE_URL: dev.url,
      },
    });
    let screen = '';
    let answered = false;
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString();
      if (!answered && screen.includes('[y/N]')) {
        answered = true;
        child.stdin.write(`${answer}\r`);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, screen }));
  });
}

describe('the backfill CLI', () => {
  it('on a terminal, shows what it would send and asks first; sends only after yes, with a progress bar', async () => {
    const declined = await onTerminal(['stripe', ...range], 'n');
    expect(declined.code).toBe(3);
    expect(declined.screen).toMatch(new RegExp(`${paid.payment_intent}\\s+29\\.99\\s+USD`));
    expect(declined.screen).toContain(`Send 3 payments to DataFast at ${dev.url}? [y/N]`);
    expect(declined.screen).toContain('nothing sent');
    expect(dev.requests()).toEqual([]);

    const accepted = await onTerminal(['stripe', ...range], 'y');
    expect(accepted.code).toBe(0);
    // The bar is redrawn in place (carriage return, erase line), never one line per page.
    expect(accepted.screen).not.toMatch(/^page \d+:/m);
    const eraseLine = '\r\u001b[2K';
    expect(accepted.screen).toContain(eraseLine);
    expect(accepted.screen.split(eraseLine).join('\n')).toMatch(
      /^\[[#-]{20}\] listed \d+ · reported \d+/m,
    );
    expect(accepted.screen).toContain('found 3 · reported 3 · already in DataFast 0');
    expect(dev.payments()).toHaveLength(3);
    expect(accepted.screen).not.toContain(secretKey);
  });

  it('--dry-run prints a table and the totals per currency, sends nothing, exits 0', async () => {
    const { code, stdout, stderr } = await cli(['stripe', ...range, '--dry-run']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/date\s+id\s+amount\s+currency\s+kind\s+attributed/);
    expect(stdout).toMatch(
      new RegExp(`${paid.payment_intent}\\s+29\\.99\\s+USD\\s+payment\\s+yes`),
    );
    expect(stdout).toMatch(new RegExp(`${yen.payment_intent}\\s+5000\\s+JPY\\s+payment\\s+no`));
    expect(stdout).toMatch(new RegExp(`${returned.id}\\s+10\\s+USD\\s+refund\\s+yes`));
    expect(stdout).toMatch(/USD\s+1\s+29\.99\s+1\s+10\s+0/);
    expect(stdout).toMatch(/JPY\s+1\s+5000\s+0\s+0\s+5000/);
    expect(stdout).toContain('found 3 · reported 0 (dry run)');
    expect(stdout).toContain('unattributed 1 (100% of JPY revenue)');
    expect(dev.requests()).toEqual([]);
    expect(`${stdout}${stderr}`).not.toContain(secretKey);
  });

  it('--json prints one machine-readable summary', async () => {
    const { code, stdout } = await cli(['stripe', ...range, '--dry-run', '--json']);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(stdout)).toMatchObject({
      provider: 'stripe',
      dryRun: true,
      found: 3,
      refunds: 1,
      unattributed: 1,
      failed: 0,
      complete: true,
      totals: { USD: { revenue: 29.99, refunded: 10 }, JPY: { revenue: 5000 } },
    });
  });

  it('refuses to send without --yes when no terminal can confirm (exit 3), and sends with it', async () => {
    const refused = await cli(['stripe', ...range]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('nothing sent: no terminal to confirm on. Pass --yes');
    expect(dev.requests()).toEqual([]);

    const sent = await cli(['stripe', ...range, '--yes']);
    expect(sent.code).toBe(0);
    expect(sent.stdout).toContain('found 3 · reported 3 · already in DataFast 0 · refunds 1');
    expect(sent.stderr).toMatch(/^page \d+: listed/m);
    expect(
      dev
        .payments()
        .map((p) => p.transaction_id)
        .sort(),
    ).toEqual([paid.payment_intent, yen.payment_intent, returned.id].sort());
    const again = await cli(['stripe', ...range, '--yes']);
    expect(again.stdout).toContain('reported 0 · already in DataFast 3');
  });

  it('exits 1 when Stripe fails, keeps a resume file without the key, and resumes', async () => {
    standIn.failNext(1_000);
    const failed = await cli(['stripe', ...range, '--yes']);
    standIn.failNext(0);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('Stripe API answered 500');
    expect(failed.stderr).toContain('run the same command again');
    const state = await readFile(join(cwd, '.datafast-backfill-stripe.json'), 'utf8');
    expect(state).not.toContain(secretKey);
    expect(`${failed.stdout}${failed.stderr}`).not.toContain(secretKey);

    const resumed = await cli(['stripe', ...range, '--yes']);
    expect(resumed.code).toBe(0);
    expect(dev.payments()).toHaveLength(3);
  });

  it('resumes after a crash (SIGKILL of its process group mid-run), each payment stored once', async () => {
    // April: 12 sessions of their own, listed 2 a page, reported while DataFast takes 40 ms each.
    const april = Date.UTC(2026, 3, 1) / 1000;
    const sessions = Array.from({ length: 12 }, (_, i) =>
      checkoutSession({ created: april + i * 60, client_reference_id: visitor }),
    );
    for (const session of sessions) standIn.put(session);
    const args = [
      'stripe',
      '--since',
      '2026-04-01',
      '--until',
      '2026-05-01',
      '--yes',
      '--page-size',
      '2',
    ];
    dev.setFaults({ latencyMs: 40 });
    const child = spawn(process.execPath, [bin, ...args], {
      cwd,
      detached: true,
      stdio: 'ignore',
      env: {
        PATH: process.env.PATH ?? '',
        STRIPE_SECRET_KEY: secretKey,
        STRIPE_API_BASE: standIn.url,
        DATAFAST_API_KEY: dev.apiKey,
        DATAFAST_BASE_URL: dev.url,
      },
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    // Newest first: once the second page's payment is stored, the first page is saved.
    await dev.waitForPayment(String(sessions[9]?.payment_intent), { timeoutMs: 20_000 });
    process.kill(-(child.pid ?? 0), 'SIGKILL');
    expect(await exited).toBe(null);
    dev.setFaults({});
    const saved = JSON.parse(await readFile(join(cwd, '.datafast-backfill-stripe.json'), 'utf8'));
    const cursor = saved.listings.checkout_sessions.cursor;
    expect(sessions.map((s) => s.id)).toContain(cursor);
    expect(dev.payments().length).toBeLessThan(sessions.length);

    const before = standIn.requests.length;
    const resumed = await cli(args);
    expect(resumed.code).toBe(0);
    const firstList = standIn.requests
      .slice(before)
      .find((r) => r.path === '/v1/checkout/sessions');
    expect(firstList?.query.starting_after).toBe(cursor);
    expect(
      dev
        .payments()
        .map((p) => p.transaction_id)
        .sort(),
    ).toEqual(sessions.map((s) => String(s.payment_intent)).sort());
  });

  it('stops after the pages in flight on Ctrl-C (SIGINT), saving where to resume (exit 1)', async () => {
    const may = Date.UTC(2026, 4, 1) / 1000;
    const sessions = Array.from({ length: 12 }, (_, i) =>
      checkoutSession({ created: may + i * 60, client_reference_id: visitor }),
    );
    for (const session of sessions) standIn.put(session);
    const args = [
      'stripe',
      '--since',
      '2026-05-01',
      '--until',
      '2026-06-01',
      '--yes',
      '--page-size',
      '2',
    ];
    dev.setFaults({ latencyMs: 40 });
    const child = spawn(process.execPath, [bin, ...args], {
      cwd,
      env: {
        PATH: process.env.PATH ?? '',
        STRIPE_SECRET_KEY: secretKey,
        STRIPE_API_BASE: standIn.url,
        DATAFAST_API_KEY: dev.apiKey,
        DATAFAST_BASE_URL: dev.url,
      },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise((resolve) => child.on('close', resolve));
    await dev.waitForPayment(String(sessions[11]?.payment_intent), { timeoutMs: 20_000 });
    child.kill('SIGINT');
    expect(await exited).toBe(1);
    dev.setFaults({});
    expect(stderr).toContain('stopping after the pages in flight');
    expect(stderr).toContain('run the same command again to continue where it stopped');
    const saved = JSON.parse(await readFile(join(cwd, '.datafast-backfill-stripe.json'), 'utf8'));
    expect(sessions.map((s) => s.id)).toContain(saved.listings.checkout_sessions.cursor);
    expect(dev.payments().length).toBeLessThan(sessions.length);

    expect((await cli(args)).code).toBe(0);
    expect(dev.payments()).toHaveLength(sessions.length);
  });

  it('names what is missing (exit 2): the key, the provider, the date', async () => {
    const noKey = await cli(['stripe', ...range, '--dry-run'], { STRIPE_SECRET_KEY: '' });
    expect(noKey).toMatchObject({ code: 2 });
    expect(noKey.stderr).toContain('set STRIPE_SECRET_KEY');
    const unknown = await cli(['square', ...range, '--dry-run']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown provider "square": use one of stripe, lemonsqueezy');
    const badDate = await cli(['stripe', '--since', 'yesterday-ish', '--dry-run']);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('--since is not a date: yesterday-ish');
  });
});
