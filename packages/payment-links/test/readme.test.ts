import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const workDir = new URL('./.readme/', import.meta.url);

describe('the README', () => {
  it('has TypeScript blocks that type-check against the built package, stripe, Express, Next.js and SvelteKit', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
    // Every quickstart: links, sessions, three webhooks, three success pages, three other providers.
    expect(blocks.length).toBeGreaterThanOrEqual(11);
    await rm(workDir, { recursive: true, force: true });
    await mkdir(workDir, { recursive: true });
    const files: string[] = [];
    for (const [index, block] of blocks.entries()) {
      // The one signature line is documentation, not code.
      if (block.startsWith('onPaymentSucceeded(resolvePayment')) continue;
      const file = `block-${index}.ts`;
      // Each block is its own module, as a file of the user's app would be.
      await writeFile(new URL(file, workDir), `${block}\nexport {};\n`);
      files.push(file);
    }
    await writeFile(
      new URL('tsconfig.json', workDir),
      JSON.stringify({
        extends: '../../../../tsconfig.base.json',
        compilerOptions: {
          types: ['node'],
          noUnusedLocals: false,
          lib: ['ES2022', 'DOM', 'DOM.Iterable'],
        },
        files,
      }),
    );
    const tsc = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));
    const result = await run(
      process.execPath,
      [tsc, '-p', fileURLToPath(new URL('tsconfig.json', workDir))],
      {
        cwd: packageDir,
      },
    ).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(result).toBe('');
  });
});
