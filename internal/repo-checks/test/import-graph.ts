import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Every `.ts`/`.tsx`/`.mts` source file below `folder` (declaration files left out). */
export function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((name) => join(folder, name))
    .filter((path) => /\.(ts|tsx|mts|cts)$/.test(path) && !/\.d\.[cm]?ts$/.test(path))
    .filter((path) => statSync(path).isFile())
    .sort();
}

// Static imports and re-exports, `import type` included (a type-only circle is still a circle for
// a reader), and dynamic `import('…')`: a lazy import is still a dependency between the files.
const specifierPattern =
  /(?:^|\n)\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The relative specifiers a file imports, resolved to files on disk (`.js` written for `.ts`). */
export function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const targets = new Set<string>();
  for (const match of text.matchAll(specifierPattern)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    if (!specifier?.startsWith('.')) continue;
    const base = resolve(dirname(file), specifier);
    const stem = base.replace(/\.(c|m)?js$/, '');
    const candidates = [
      `${stem}.ts`,
      `${stem}.tsx`,
      `${stem}.mts`,
      `${stem}.cts`,
      join(base, 'index.ts'),
      base,
    ];
    const found = candidates.find((path) => existsSync(path) && statSync(path).isFile());
    if (found && /\.(ts|tsx|mts|cts)$/.test(found)) targets.add(found);
  }
  return [...targets];
}

/**
 * The import circles among `files` (Tarjan's strongly connected components of two or more files,
 * or one file importing itself), each as paths relative to `from`, sorted.
 */
export function importCircles(files: string[], from: string): string[][] {
  const edges = new Map(files.map((file) => [file, relativeImports(file)]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  let next = 0;

  const visit = (file: string) => {
    index.set(file, next);
    low.set(file, next);
    next += 1;
    stack.push(file);
    onStack.add(file);
    for (const target of edges.get(file) ?? []) {
      if (!edges.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file) ?? 0, low.get(target) ?? 0));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file) ?? 0, index.get(target) ?? 0));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    const selfImport = component.length === 1 && (edges.get(file) ?? []).includes(file);
    if (component.length > 1 || selfImport) {
      circles.push(component.map((path) => relative(from, path)).sort());
    }
  };

  for (const file of files) if (!index.has(file)) visit(file);
  return circles;
}
