import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

// The built package, loaded by plain Node the way a user's tooling would (no bundler): this is
// where an extensionless `next/server` import would fail, since `next` has no `exports` map.
const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const exportsList = 'withDatafast,withDatafastApi,getDatafast,createDatafast';

it('loads from the ESM build with every export', async () => {
  const { stdout } = await run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const m = await import('@datafast-checkout/next'); console.log('${exportsList}'.split(',').map((n) => typeof m[n]).join())`,
    ],
    { cwd: packageDir },
  );
  expect(stdout.trim()).toBe('function,function,function,function');
});

it('loads from the CJS build with every export', async () => {
  const { stdout } = await run(
    process.execPath,
    [
      '-e',
      `const m = require('@datafast-checkout/next'); console.log('${exportsList}'.split(',').map((n) => typeof m[n]).join())`,
    ],
    { cwd: packageDir },
  );
  expect(stdout.trim()).toBe('function,function,function,function');
});
