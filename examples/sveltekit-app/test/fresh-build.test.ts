import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

// A fresh clone has no .svelte-kit/ yet, and tsconfig.json extends .svelte-kit/tsconfig.json:
// the build script must create it (svelte-kit sync) before Vite reads the config.
const appDir = fileURLToPath(new URL('..', import.meta.url));
let copy: string | undefined;

afterAll(async () => {
  if (copy) await rm(copy, { recursive: true, force: true });
});

it('builds a fresh copy with the build script, without a missing-tsconfig warning', {
  timeout: 180_000,
}, async () => {
  copy = await mkdtemp(join(tmpdir(), 'sveltekit-app-fresh-'));
  for (const entry of [
    'src',
    'package.json',
    'svelte.config.js',
    'tsconfig.json',
    'vite.config.ts',
  ]) {
    await cp(join(appDir, entry), join(copy, entry), { recursive: true });
  }
  await symlink(join(appDir, 'node_modules'), join(copy, 'node_modules'), 'dir');
  const { scripts } = JSON.parse(await readFile(join(copy, 'package.json'), 'utf8')) as {
    scripts: { build: string };
  };

  // The script as a package manager runs it: a shell, with the package's bins on PATH.
  const result = await new Promise<{ code: number; output: string }>((resolve) => {
    execFile(
      '/bin/sh',
      ['-c', scripts.build],
      {
        cwd: copy,
        env: {
          ...process.env,
          PATH: `${join(copy as string, 'node_modules/.bin')}:${process.env.PATH}`,
        },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
    );
  });

  expect(result.code, result.output).toBe(0);
  expect(result.output).not.toContain('Cannot find base config file');
});
