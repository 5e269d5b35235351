import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importCircles, sourceFiles } from './import-graph.js';
import { publishedPackages, root } from './workspace.js';

// Issue 23's shape of the code, kept: no import circle between a package's source files (type-only
// imports included: a reader follows them too), and no source file past about 300 lines unless
// its first lines say why in a `// size: <reason>` comment.
const maxLines = 300;
const sizeReason = /^\s*\/\/ size: \S/m;
const lineCount = (text: string) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

const sources = publishedPackages().map(({ folder, manifest }) => ({
  name: manifest.name,
  folder,
  files: sourceFiles(`${root}${folder}/src`),
}));

describe.each(sources)('$name', ({ folder, files }) => {
  it('has no import circle, type-only imports included', () => {
    expect(importCircles(files, `${root}${folder}/src`)).toEqual([]);
  });

  it(`keeps each source file under ${maxLines} lines or says why at its top`, () => {
    const oversized = files
      .map((file) => ({ file, text: readFileSync(file, 'utf8') }))
      .filter(({ text }) => lineCount(text) > maxLines)
      .filter(({ text }) => !sizeReason.test(text.split('\n').slice(0, 8).join('\n')))
      .map(({ file, text }) => `${file.slice(root.length)}: ${lineCount(text)} lines`);
    expect(oversized).toEqual([]);
  });
});

describe('the import graph', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'import-graph-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  const write = (path: string, text: string) => {
    mkdirSync(join(scratch, path, '..'), { recursive: true });
    writeFileSync(join(scratch, path), text);
  };

  it('finds a circle made only of type imports, across folders and index files', () => {
    write('a.ts', "import type { B } from './b/index.js';\nexport interface A { b: B }\n");
    write('b/index.ts', "export type { B } from './b.js';\n");
    write('b/b.ts', "import type { A } from '../a.js';\nexport interface B { a?: A }\n");
    write('c.ts', "import { x } from './d.js';\nexport const c = x;\n");
    write('d.ts', 'export const x = 1;\n');

    expect(importCircles(sourceFiles(scratch), scratch)).toEqual([
      ['a.ts', 'b/b.ts', 'b/index.ts'],
    ]);
  });

  it('counts a lazy import() as an edge', () => {
    const lazy = mkdtempSync(join(scratch, 'lazy-'));
    writeFileSync(join(lazy, 'e.ts'), "export const load = () => import('./f.js');\n");
    writeFileSync(join(lazy, 'f.ts'), "import { load } from './e.js';\nexport const f = load;\n");

    expect(importCircles(sourceFiles(lazy), lazy)).toEqual([['e.ts', 'f.ts']]);
  });
});
