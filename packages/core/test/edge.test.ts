import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EdgeVM } from '@edge-runtime/vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestServer } from './helpers/server.js';

// The built bundles, exactly as published. The suite runs after `build` (turbo's test task
// depends on it).
const dist = (file: string) =>
  readFileSync(fileURLToPath(new URL(`../dist/${file}`, import.meta.url)), 'utf8');
const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';

const server = useTestServer();
let vm: EdgeVM;

beforeAll(() => {
  // Vercel's Edge runtime sandbox: Web APIs only, no `process`, `require` or `Buffer`.
  vm = new EdgeVM();
  vm.evaluate(`
    const module = { exports: {} };
    (function (module, exports) {
${dist('index.cjs')}
    })(module, module.exports);
    globalThis.core = module.exports;
  `);
});

/** Runs an async snippet inside the edge VM and returns its JSON-serialised result. */
async function inEdge(body: string): Promise<unknown> {
  const json = await vm.evaluate(
    `(async () => JSON.stringify(await (async () => { ${body} })()))()`,
  );
  return JSON.parse(json as string);
}

describe('the core bundle in the Edge runtime VM', () => {
  it('runs in a sandbox without Node globals', async () => {
    expect(
      await inEdge(
        'return [typeof process, typeof require, typeof Buffer, typeof core.createDatafast]',
      ),
    ).toEqual(['undefined', 'undefined', 'undefined', 'function']);
  });

  it('reads the visitor id from an edge Request and converts money', async () => {
    expect(
      await inEdge(`
        const request = new Request('https://shop.example/', { headers: { cookie: 'a=1; datafast_visitor_id=${visitor.toUpperCase()}' } });
        return [core.getVisitorId(request), core.toMajorUnits(2999, 'usd'), core.toMajorUnits(1234, 'KWD')];
      `),
    ).toEqual([visitor, 29.99, 1.234]);
  });

  it('creates a payment over the network with the edge fetch, retrying a 503', async () => {
    server.script({ status: 503 });
    const result = await inEdge(`
      const datafast = core.createDatafast({ apiKey: 'df_edge', baseUrl: '${server.url}', backoff: { initialDelayMs: 5 } });
      return await datafast.payments.create({ amount: 29.99, currency: 'usd', transaction_id: 'txn_edge', datafast_visitor_id: '${visitor}' });
    `);
    expect(result).toEqual({
      message: 'Payment recorded and attributed successfully',
      transaction_id: 'txn_edge',
    });
    expect(server.requests.at(-1)?.json).toMatchObject({
      currency: 'USD',
      datafast_visitor_id: visitor,
    });
    expect(server.requests.at(-1)?.headers.authorization).toBe('Bearer df_edge');
  });

  it('tracks in the background, hands the delivery to waitUntil, and flushes', async () => {
    const result = await inEdge(`
      const handed = [];
      const datafast = core.createDatafast({ apiKey: 'df_edge', baseUrl: '${server.url}', waitUntil: (p) => handed.push(p) });
      datafast.forRequest(new Request('https://shop.example/', { headers: { cookie: 'datafast_visitor_id=${visitor}' } }))
        .track({ amount: 5, currency: 'EUR', transaction_id: 'txn_edge_track' });
      const flushed = await datafast.flush(5000);
      return { handed: handed.length, flushed };
    `);
    expect(result).toEqual({ handed: 1, flushed: { settled: true, pending: 0 } });
    expect(server.stored).toContain('txn_edge_track');
  });

  it('times out with the edge AbortController and reports errors by code', async () => {
    server.script({ hang: true });
    const result = await inEdge(`
      const seen = [];
      const datafast = core.createDatafast({ apiKey: 'df_edge', baseUrl: '${server.url}', timeoutMs: 100, maxRetries: 0, maxAgeMs: 0, onError: (e) => seen.push(e.code) });
      datafast.track({ amount: 5, currency: 'EUR', transaction_id: 'txn_edge_timeout' });
      datafast.track({ amount: -5, currency: 'EUR', transaction_id: 'txn_edge_bad' });
      await datafast.flush();
      const thrown = await datafast.payments.create({ amount: 1, currency: 'x', transaction_id: 't' }).catch((e) => [e.code, e.field, core.isDatafastError(e)]);
      return { seen, thrown };
    `);
    expect(result).toEqual({
      seen: ['validation_error', 'timeout'],
      thrown: ['validation_error', 'currency', true],
    });
  });
});

describe('flushOnShutdown (/node) in the Edge runtime VM', () => {
  it('loads without a process and does nothing there, where waitUntil keeps reports alive', async () => {
    vm.evaluate(`
      const nodeModule = { exports: {} };
      (function (module, exports) {
${dist('node.cjs')}
      })(nodeModule, nodeModule.exports);
      globalThis.coreNode = nodeModule.exports;
    `);
    const result = await inEdge(`
      const datafast = core.createDatafast({ apiKey: 'df_edge', baseUrl: '${server.url}' });
      const remove = coreNode.flushOnShutdown({ client: datafast });
      remove();
      const refused = (() => { try { coreNode.flushOnShutdown(datafast, { reraise: 'yes' }); } catch (e) { return e.code; } })();
      return [typeof process, typeof remove, refused];
    `);
    expect(result).toEqual(['undefined', 'function', 'config_error']);
  });
});

describe('the published bundles', () => {
  it.each(['index.js', 'index.cjs', 'proxy.js', 'proxy.cjs'])(
    '%s imports no Node built-in and needs no Node global',
    (file) => {
      const code = dist(file);
      expect(code).not.toMatch(
        /\bfrom\s*["']node:|require\(\s*["'](node:)?[a-z_]+["']\)|import\(\s*["']node:/,
      );
      expect(code).not.toMatch(/\bBuffer\b/);
      expect(code).not.toMatch(/(?<![.\w])process\./);
    },
  );
});
