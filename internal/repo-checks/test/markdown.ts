import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './workspace.js';

/** A fenced code block of a markdown document. */
export interface CodeBlock {
  /** The document, relative to the repository's root (`packages/core/README.md`). */
  file: string;
  /** The fence's language (`ts`, `js`, `sh`, …), `''` when it has none. */
  lang: string;
  /** The words after the language on the fence line (```` ```ts signature ```` → `['signature']`). */
  meta: string[];
  /** The block's first line of code, 1-based, in the document. */
  line: number;
  code: string;
}

// Installed, built or generated: never documentation of this repository.
const SKIPPED = new Set(['node_modules', 'dist', 'build', 'coverage']);

/**
 * Every document whose code blocks are tested: each `README.md` (root, packages, examples,
 * internal) and each `docs/*.md`, relative to the root, sorted. Dot-folders (.git, .next,
 * .changeset, scratch folders of tests) hold none.
 */
export function documents(dir = ''): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true })
    .flatMap((entry) => {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        return entry.name.startsWith('.') || SKIPPED.has(entry.name) ? [] : documents(path);
      }
      const isDoc =
        entry.name === 'README.md' ||
        (dir.split('/').at(-1) === 'docs' && entry.name.endsWith('.md'));
      return isDoc ? [path] : [];
    })
    .sort();
}

/** The fenced code blocks of a document, in order; a fence indented in a list is read too. */
export function codeBlocks(file: string): CodeBlock[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const blocks: CodeBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const open = /^(\s*)(`{3,})(\S*)(.*)$/.exec(lines[index] ?? '');
    if (!open) continue;
    const [, indent = '', fence = '', lang = '', rest = ''] = open;
    const body: string[] = [];
    let end = index + 1;
    while (end < lines.length && !(lines[end] ?? '').trimStart().startsWith(fence)) {
      body.push((lines[end] ?? '').slice(indent.length));
      end++;
    }
    const meta = rest.trim().split(/\s+/).filter(Boolean);
    blocks.push({ file, lang, meta, line: index + 2, code: `${body.join('\n')}\n` });
    index = end;
  }
  return blocks;
}
