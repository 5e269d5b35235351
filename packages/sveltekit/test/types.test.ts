import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const project = fileURLToPath(new URL('./consumer/tsconfig.json', import.meta.url));

describe('App.Locals augmentation', () => {
  // The fixture imports the built package by name (ESM from a .mts file, CJS from a .cts file),
  // next to an app.d.ts with the user's own Locals, exactly as a consumer's compiler sees it.
  // A full type-check of SvelteKit's declarations: seconds when idle, far more on a busy CI box.
  it("types locals.datafast for ESM and CJS consumers and merges with the app's own Locals", {
    timeout: 120_000,
  }, async () => {
    const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
      execFile(process.execPath, [tsc, '-p', project], (error, stdout, stderr) =>
        resolve({ code: error ? (error.code as number) : 0, output: stdout + stderr }),
      );
    });
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });
});
