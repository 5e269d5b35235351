import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import { startApp } from '@datafast-checkout/devserver/testing';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  blocksToCompile,
  type PreparedBlock,
  prepareBlocks,
  signatureBlocks,
  typeCheck,
} from './docs-code/compile.js';
import { contexts } from './docs-code/contexts.js';
import { type BlockRun, runs } from './docs-code/runs.js';

// "Every code block in every README is compiled (and run where it can be) by a test, so the docs
// never drift from the code": each ts/tsx/js/mjs/cjs block of each README.md and docs/*.md is
// type-checked against the built packages, with only the context declared for it in
// docs-code/contexts.ts, and the blocks of docs-code/runs.ts run against a devserver.

const blocks = blocksToCompile();
let prepared: PreparedBlock[];

beforeAll(() => {
  prepared = prepareBlocks(blocks);
});

const matching = (target: { file: string; block: string }) =>
  blocks.filter((block) => block.file === target.file && block.code.includes(target.block));

describe('the code blocks of every README and docs page', () => {
  it('are found: the packages, the examples and the root', () => {
    const files = new Set(blocks.map((block) => block.file));
    expect(blocks.length).toBeGreaterThanOrEqual(75);
    for (const file of ['README.md', 'packages/core/README.md', 'examples/next-app/README.md']) {
      expect(files).toContain(file);
    }
  });

  // One tsc program over every block (about 100, ten packages' types): 10-20 s alone, and
  // beyond 30 s beside the other suites on CI's two cores.
  it('type-check, strict, against the built packages', { timeout: 180_000 }, () => {
    expect(typeCheck(prepared)).toEqual([]);
  });

  it('take their context from exactly one declaration each, and every declaration is used', () => {
    for (const context of contexts) {
      expect(matching(context), `${context.file}: ${context.block}`).toHaveLength(1);
    }
    for (const block of blocks) {
      const declared = contexts.filter(
        (c) => c.file === block.file && block.code.includes(c.block),
      );
      expect(declared.length, `${block.file}:${block.line}`).toBeLessThanOrEqual(1);
    }
  });

  it('fence as `ts signature` only one-line call shapes, never code to copy', () => {
    for (const block of signatureBlocks()) {
      expect(block.code.trim().split('\n'), `${block.file}:${block.line}`).toHaveLength(1);
      expect(block.code, `${block.file}:${block.line}`).not.toMatch(/\b(import|export|const)\b/);
    }
  });
});

describe('the blocks that can run', () => {
  let dev: DevServer;
  beforeAll(async () => {
    dev = await startDevServer();
  });
  afterAll(async () => {
    await dev?.close();
  });

  it.each(runs.map((run) => [`${run.file}: ${run.block.split('\n')[0]}`, run] as const))(
    '%s',
    async (_name, run) => {
      expect(matching(run), 'the block to run').toHaveLength(1);
      const block = prepared.find((b) => b.file === run.file && b.code.includes(run.block));
      await runBlock(run, block as PreparedBlock, dev);
    },
  );
});

const execFileAsync = promisify(execFile);

/**
 * Writes the block (with its preamble, and the run's epilogue), as JavaScript, beside the
 * module that was type-checked, so it resolves the same packages, and runs it with node.
 */
async function runBlock(run: BlockRun, block: PreparedBlock, dev: DevServer): Promise<void> {
  const extension = block.path.endsWith('.cjs') ? 'cjs' : 'mjs';
  const source = readFileSync(block.path, 'utf8') + (run.epilogue ?? '');
  const code = block.lang.startsWith('ts')
    ? ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      }).outputText
    : source;
  const blockFile = block.path.replace(/\.\w+$/, `.run.${extension}`);
  writeFileSync(blockFile, code);
  let entry = blockFile;
  if (run.runner) {
    entry = block.path.replace(/\.\w+$/, '.runner.mjs');
    writeFileSync(entry, `import * as block from './${basename(blockFile)}';\n${run.runner}`);
  }
  const cwd = run.cwd ?? mkdtempSync(join(tmpdir(), 'datafast-docs-code-'));
  const env = { DATAFAST_API_KEY: dev.apiKey, DATAFAST_BASE_URL: dev.url };
  try {
    if (run.server) {
      const app = await startApp({ command: process.execPath, args: [entry], cwd, env });
      try {
        await run.check({ dev, stdout: '', cwd, app });
      } finally {
        await app.stop();
      }
      return;
    }
    const { stdout } = await execFileAsync(process.execPath, [entry], {
      cwd,
      env: { ...process.env, ...env },
      timeout: 30_000,
    });
    await run.check({ dev, stdout, cwd });
  } finally {
    if (!run.cwd) rmSync(cwd, { recursive: true, force: true });
  }
}
