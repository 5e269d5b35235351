import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { type CodeBlock, codeBlocks, documents } from '../markdown.js';
import { root } from '../workspace.js';
import { ambientModules, type BlockContext, contexts, svelteKitRouteTypes } from './contexts.js';

/** The fence languages that are code to compile. */
export const codeLanguages = ['ts', 'tsx', 'js', 'mjs', 'cjs'];

/** Where the blocks are written, one folder per document's folder; ignored by git. */
export const workDir = join(root, 'internal/repo-checks/.docs-code');

/** A block written to disk as a module, after its context's preamble. */
export interface PreparedBlock extends CodeBlock {
  /** The module's absolute path. */
  path: string;
  context: BlockContext | undefined;
  /** How many lines the preamble takes before the block's first line. */
  preambleLines: number;
}

/**
 * Every code block of every document, except the one-line API signatures fenced as
 * ```` ```ts signature ```` (documentation of a call's shape, not code).
 */
export function blocksToCompile(): CodeBlock[] {
  return documents()
    .flatMap(codeBlocks)
    .filter((block) => codeLanguages.includes(block.lang) && !block.meta.includes('signature'));
}

/** The blocks fenced as signatures, which must stay one short line each. */
export function signatureBlocks(): CodeBlock[] {
  return documents()
    .flatMap(codeBlocks)
    .filter((block) => block.meta.includes('signature'));
}

/** The one context that names a line of this block, if any. */
export function contextOf(block: CodeBlock): BlockContext | undefined {
  return contexts.find((c) => c.file === block.file && block.code.includes(c.block));
}

/**
 * Writes each block as a module in a folder that mirrors its document's folder, with a
 * `node_modules` link to that folder's own, so a block resolves its imports as a file beside the
 * document would (a package's README sees that package's dependencies, an example's README the
 * example's), then this package's (every @datafast-checkout package), then the root's.
 */
export function prepareBlocks(blocks: CodeBlock[]): PreparedBlock[] {
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  writeFileSync(join(workDir, 'ambient.d.ts'), ambientModules);
  return blocks.map((block) => {
    const folder = dirname(block.file) === '.' ? 'root' : dirname(block.file);
    const dir = join(workDir, folder);
    if (!existsSync(dir)) {
      mkdirSync(dir, { recursive: true });
      const modules = join(root, dirname(block.file), 'node_modules');
      if (existsSync(modules)) symlinkSync(modules, join(dir, 'node_modules'), 'dir');
    }
    if (block.code.includes("from './$types'")) {
      writeFileSync(join(dir, '$types.d.ts'), svelteKitRouteTypes);
    }
    const context = contextOf(block);
    const preamble = context ? `${context.preamble}\n` : '';
    const path = join(dir, `L${block.line}.${extensionOf(block)}`);
    writeFileSync(path, preamble + block.code);
    return { ...block, path, context, preambleLines: preamble.split('\n').length - 1 };
  });
}

/** `.cjs` for a JavaScript block that `require`s and never `import`s, else its language's own. */
function extensionOf(block: CodeBlock): string {
  if (block.lang === 'js') {
    return /\brequire\(/.test(block.code) && !/^import\b/m.test(block.code) ? 'cjs' : 'mjs';
  }
  return block.lang;
}

// A JavaScript block has no annotations: that a parameter (or an untyped package) is `any` is
// what JavaScript is.
const implicitAny = new Set([7005, 7006, 7016, 7031, 7034]);

/**
 * Type-checks every prepared block in one program, strict, against the built packages (their
 * `exports` and `.d.ts`, as users get them), Node.js and the DOM. Resolves the problems found,
 * each as `document:line: TS<code> <message>` (or `preamble of document:line` when the
 * preamble is at fault).
 */
export function typeCheck(prepared: PreparedBlock[]): string[] {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    module: ts.ModuleKind.Preserve,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    // Each block is its own module, as each file of an app is.
    moduleDetection: ts.ModuleDetectionKind.Force,
    jsx: ts.JsxEmit.ReactJSX,
    strict: true,
    allowJs: true,
    checkJs: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
    // The Next.js snippets' `@/lib/…` is the Next.js example's own alias, onto its own files.
    paths: { '@/*': [join(root, 'examples/next-app/*')] },
  };
  const byPath = new Map(prepared.map((block) => [block.path, block]));
  const program = ts.createProgram([join(workDir, 'ambient.d.ts'), ...byPath.keys()], options);
  return ts.getPreEmitDiagnostics(program).flatMap((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n').split('\n')[0];
    const { file, start } = diagnostic;
    const block = file && byPath.get(file.fileName);
    if (!file || !block || start === undefined) {
      return [`${file?.fileName ?? '(program)'}: TS${diagnostic.code} ${message}`];
    }
    if (/\.[cm]js$/.test(block.path) && implicitAny.has(diagnostic.code)) return [];
    const { line } = file.getLineAndCharacterOfPosition(start);
    const where =
      line < block.preambleLines
        ? `preamble of ${block.file}:${block.line}`
        : `${block.file}:${block.line + line - block.preambleLines}`;
    return [`${where}: TS${diagnostic.code} ${message}`];
  });
}
