import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useTestServer } from './helpers/server.js';

// These tests load the built package by its name, from a child Node process, the way users do:
// `import` resolves the ESM build and `require` the CJS build through the `exports` map.
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);
const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';
const server = useTestServer();

async function node(args: string[], env: Record<string, string> = {}): Promise<unknown> {
  const { stdout } = await run(process.execPath, args, {
    cwd: packageDir,
    env: { ...process.env, ...env },
  });
  return JSON.parse(stdout);
}

const scenario = `
  const datafast = core.createDatafast({ apiKey: 'df_pkg', baseUrl: process.env.BASE_URL });
  const result = await datafast.payments.create({ amount: core.toMajorUnits(2999, 'usd'), currency: 'usd', transaction_id: process.env.TX, datafast_visitor_id: core.getVisitorId('datafast_visitor_id=${visitor}') });
  const error = await datafast.payments.create({ amount: 1, currency: 'nope', transaction_id: 'x' }).catch((e) => e);
  console.log(JSON.stringify({ exports: Object.keys(core).sort(), result, code: error.code, field: error.field, branded: core.isDatafastError(error) }));
`;

describe('the built package', () => {
  it('works through import (ESM build)', async () => {
    const output = await node(
      [
        '--input-type=module',
        '-e',
        `import * as core from '@datafast-checkout/core';\n${scenario}`,
      ],
      {
        BASE_URL: server.url,
        TX: 'txn_esm',
      },
    );
    expect(output).toMatchObject({
      result: { transaction_id: 'txn_esm' },
      code: 'validation_error',
      field: 'currency',
      branded: true,
    });
    expect(server.requests.at(-1)?.json).toMatchObject({
      amount: 29.99,
      currency: 'USD',
      datafast_visitor_id: visitor,
    });
  });

  it('works through require (CJS build) with the same exports', async () => {
    const esm = (await node([
      '--input-type=module',
      '-e',
      `import * as core from '@datafast-checkout/core'; console.log(JSON.stringify({ exports: Object.keys(core).sort() }))`,
    ])) as { exports: string[] };
    const cjs = await node(
      ['-e', `const core = require('@datafast-checkout/core'); (async () => {\n${scenario}\n})()`],
      {
        BASE_URL: server.url,
        TX: 'txn_cjs',
      },
    );
    expect(cjs).toMatchObject({
      exports: esm.exports,
      result: { transaction_id: 'txn_cjs' },
      code: 'validation_error',
      branded: true,
    });
    expect(esm.exports).toEqual(
      expect.arrayContaining([
        'createDatafast',
        'getVisitorId',
        'DatafastError',
        'DatafastApiError',
        'DatafastValidationError',
        'DatafastNetworkError',
        'toMajorUnits',
      ]),
    );
  });

  it.each([
    [
      'import',
      `import { fileOutbox } from '@datafast-checkout/core/file-outbox'; import { createDatafast } from '@datafast-checkout/core';`,
    ],
    [
      'require',
      `const { fileOutbox } = require('@datafast-checkout/core/file-outbox'); const { createDatafast } = require('@datafast-checkout/core');`,
    ],
  ])('loads the file outbox subpath through %s and delivers through it', async (kind, imports) => {
    const dir = await mkdtemp(join(tmpdir(), 'datafast-pkg-outbox-'));
    const program = `${imports}
      (async () => {
        const outbox = fileOutbox(process.env.DIR);
        const datafast = createDatafast({ apiKey: 'df_pkg', baseUrl: process.env.BASE_URL, outbox });
        datafast.track({ amount: 1, currency: 'USD', transaction_id: process.env.TX });
        const stored = outbox.size;
        await datafast.flush();
        console.log(JSON.stringify({ stored, left: outbox.size }));
        outbox.close();
      })();`;
    const output = await node(
      kind === 'import' ? ['--input-type=module', '-e', program] : ['-e', program],
      { BASE_URL: server.url, TX: `txn_outbox_${kind}`, DIR: dir },
    );
    expect(output).toEqual({ stored: 1, left: 0 });
    expect(server.stored).toContain(`txn_outbox_${kind}`);
    await rm(dir, { recursive: true, force: true });
  });

  it('recognises an error from the CJS copy in the ESM copy by its brand, not instanceof', async () => {
    const output = await node([
      '--input-type=module',
      '-e',
      `import { createRequire } from 'node:module';
       import * as esm from '@datafast-checkout/core';
       const cjs = createRequire(import.meta.url)('@datafast-checkout/core');
       const error = await cjs.createDatafast({ apiKey: 'k' }).payments.create({}).catch((e) => e);
       console.log(JSON.stringify([esm.isDatafastError(error), error instanceof esm.DatafastError, error.code]));`,
    ]);
    expect(output).toEqual([true, false, 'validation_error']);
  });
});
