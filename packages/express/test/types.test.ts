import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// Each fixture is a consumer app that declares no types of its own and reaches the built package
// by its name, through the `exports` map (a package may import itself by name). Every fixture
// holds a `@ts-expect-error` on a mistyped payment, so `req.datafast` typed as `any` fails too.
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const fixtures = fileURLToPath(new URL('./fixtures/types/', import.meta.url));

async function typecheck(project: string): Promise<string> {
  try {
    await promisify(execFile)(process.execPath, [tsc, '-p', `${fixtures}${project}`]);
    return '';
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error);
  }
}

describe('req.datafast types in a consumer project', () => {
  it('types req.datafast for an ESM (NodeNext) Express 5 app', async () => {
    expect(await typecheck('tsconfig.esm.json')).toBe('');
  });

  it('types req.datafast for a CommonJS Express 5 app', async () => {
    expect(await typecheck('tsconfig.cjs.json')).toBe('');
  });

  it('types req.datafast for a CommonJS Express 4 app', async () => {
    expect(await typecheck('tsconfig.express4.json')).toBe('');
  });
});
