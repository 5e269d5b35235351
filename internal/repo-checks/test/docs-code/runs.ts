import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DevServer } from '@datafast-checkout/devserver';
import type { RunningApp } from '@datafast-checkout/devserver/testing';
import { expect } from 'vitest';
import { root } from '../workspace.js';

// The blocks that can run here, run as written (after their context's preamble) in a plain
// `node` process against a devserver, each with what a reader would do next and what must then
// be true. The rest need a framework's runtime (a Next.js route, a SvelteKit hook), a provider's
// account or a newer Node.js, and are type-checked only.

/** What a run's check gets. */
export interface RunResult {
  dev: DevServer;
  /** What the process printed, for a script. */
  stdout: string;
  /** The process's working directory. */
  cwd: string;
  /** The started server, for a block that is an app. */
  app?: RunningApp;
}

/** How to run one block (matched like a context: a line that only it has). */
export interface BlockRun {
  file: string;
  block: string;
  /** Appended to the block, in its module: what the reader calls next. */
  epilogue?: string;
  /**
   * A module of its own that imports the block's (`import * as block from './block.mjs'`), for
   * a block whose exports are the interface (a Worker's `export default`).
   */
  runner?: string;
  /** The block is an app: it is started (PORT set) and checked while it answers. */
  server?: boolean;
  /** Working directory: a fresh temporary one by default, or a folder of the repository. */
  cwd?: string;
  check(result: RunResult): Promise<void>;
}

export const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';

/** POSTs the quickstarts' checkout body to a started app, from the visitor. */
async function checkout(app: RunningApp, id: string): Promise<unknown> {
  const response = await fetch(`${app.url}/api/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `datafast_visitor_id=${visitor}` },
    body: JSON.stringify({ amount: 29.99, currency: 'USD', id }),
  });
  return response.json();
}

const expressQuickstart = (id: string): BlockRun['check'] => {
  return async ({ dev, app }) => {
    expect(await checkout(app as RunningApp, id)).toEqual({ transaction_id: id });
    expect(await dev.waitForPayment(id)).toMatchObject({
      amount: 29.99,
      currency: 'USD',
      datafast_visitor_id: visitor,
    });
  };
};

export const runs: BlockRun[] = [
  {
    file: 'README.md',
    block: 'export function reportCharge(request, charge) {',
    epilogue: `
const request = new Request('https://shop.example/api/checkout', {
  headers: { cookie: 'datafast_visitor_id=${visitor}' },
});
reportCharge(request, { id: 'ch_readme_quickstart', amount: 2999, currency: 'usd', email: 'ada@example.com' });
console.log(JSON.stringify(await shutdown()));`,
    async check({ dev, stdout }) {
      expect(JSON.parse(stdout)).toEqual({ settled: true, pending: 0 });
      expect(await dev.waitForPayment('ch_readme_quickstart')).toMatchObject({
        amount: 29.99,
        currency: 'USD',
        datafast_visitor_id: visitor,
        email: 'ada@example.com',
      });
    },
  },
  {
    file: 'README.md',
    block: 'await datafast.payments.create({',
    epilogue: 'console.log(JSON.stringify({ message, transaction_id }));',
    async check({ dev, stdout }) {
      expect(JSON.parse(stdout)).toMatchObject({ transaction_id: 'pi_3Nx…' });
      expect((await dev.waitForPayment('pi_3Nx…')).datafast_visitor_id).toBe(visitor);
    },
  },
  {
    file: 'packages/core/README.md',
    block: 'const datafast = createDatafast(); // DATAFAST_API_KEY from the environment',
    epilogue: 'await datafast.flush(5000);',
    async check({ dev }) {
      expect((await dev.waitForPayment('ch_readme_core_track')).datafast_visitor_id).toBe(visitor);
    },
  },
  {
    file: 'packages/core/README.md',
    block: 'transaction_id: refund.id, refunded: true',
    epilogue: 'await datafast.flush(5000);',
    async check({ dev }) {
      expect(await dev.waitForPayment('re_readme_core')).toMatchObject({ refunded: true });
      expect(await dev.waitForPayment('in_readme_core')).toMatchObject({
        renewal: true,
        customer_id: 'cus_readme_core',
      });
      expect(await dev.waitForPayment('trial_sub_readme_core')).toMatchObject({
        amount: 0,
        email: 'ada@example.com',
      });
    },
  },
  {
    file: 'packages/core/README.md',
    block: "const datafast = createDatafast({ outbox: fileOutbox('.datafast-outbox') });",
    epilogue: `
datafast.track({ amount: 5, currency: 'USD', transaction_id: 'ch_readme_outbox' });
await datafast.shutdown(5000);`,
    async check({ dev, cwd }) {
      expect((await dev.waitForPayment('ch_readme_outbox')).amount).toBe(5);
      expect(existsSync(join(cwd, '.datafast-outbox'))).toBe(true);
    },
  },
  {
    file: 'packages/core/README.md',
    block: "clientIp: request.headers.get('cf-connecting-ip') ?? undefined,",
    runner: `
const worker = block.default;
const script = await worker.fetch(new Request('https://shop.example/js/script.js'));
const event = await worker.fetch(
  new Request('https://shop.example/api/events', {
    method: 'POST',
    headers: { 'content-type': 'text/plain', 'cf-connecting-ip': '203.0.113.5' },
    body: JSON.stringify({ type: 'pageview', href: 'https://shop.example/', visitorId: '${visitor}' }),
  }),
);
console.log(JSON.stringify({ script: await script.text(), event: event.status }));`,
    async check({ dev, stdout }) {
      const { script, event } = JSON.parse(stdout) as { script: string; event: number };
      expect(script).toContain('datafast_visitor_id');
      expect(event).toBe(202);
      expect((await dev.waitForPageview(visitor)).ip).toBe('203.0.113.5');
    },
  },
  {
    file: 'packages/create/README.md',
    block: 'await createProject({',
    async check({ cwd }) {
      expect(existsSync(join(cwd, 'my-shop/package.json'))).toBe(true);
      expect(existsSync(join(cwd, 'my-shop/.env.example'))).toBe(true);
    },
  },
  {
    // Its own devserver, and `node server.js` in the folder: the Express example's.
    file: 'packages/devserver/README.md',
    block: "args: ['server.js'],",
    cwd: join(root, 'examples/express-checkout'),
    async check() {
      // It awaited the payment and stopped both; exiting 0 is the proof.
    },
  },
  {
    file: 'packages/express/README.md',
    block: "import { datafast } from '@datafast-checkout/express';\nimport express from 'express';",
    server: true,
    check: expressQuickstart('ch_readme_express_esm'),
  },
  {
    file: 'packages/express/README.md',
    block: "const { datafast } = require('@datafast-checkout/express');",
    server: true,
    check: expressQuickstart('ch_readme_express_cjs'),
  },
];
