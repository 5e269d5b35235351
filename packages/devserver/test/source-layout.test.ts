import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The shape of src/ that the README's "Inside the package" describes, checked on the source text
// (no tool to install): no import circle, `import type` included, and the Stripe stand-in reached
// only through its one entry.

const SRC = fileURLToPath(new URL('../src', import.meta.url));

function files(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return files(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative module a file imports or re-exports, type-only ones included. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*'(\.[^']+)'/g)];
  return specifiers.map((m) => resolve(dirname(file), (m[1] as string).replace(/\.js$/, '.ts')));
}

const graph = new Map(files(SRC).map((file) => [file, importsOf(file)]));
const name = (file: string) => relative(SRC, file);

describe('src/', () => {
  it('reads its imports (the check is not empty)', () => {
    expect(graph.size).toBeGreaterThan(60);
    expect(graph.get(join(SRC, 'start.ts'))).toContain(join(SRC, 'devserver.ts'));
  });

  it('has no import circle, type-only imports included', () => {
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        circles.push([...path.slice(path.indexOf(file)), file].map(name).join(' > '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(circles).toEqual([]);
  });

  it('reaches the Stripe stand-in only through stripe/index.ts', () => {
    const stripe = join(SRC, 'stripe');
    // testing/ builds its fixtures from the stand-in's own builders: it is not the DataFast part.
    const outside = [...graph].filter(
      ([file]) => !file.startsWith(`${stripe}/`) && !file.startsWith(join(SRC, 'testing')),
    );
    const crossings = outside.flatMap(([file, imports]) =>
      imports
        .filter((target) => target.startsWith(`${stripe}/`) && target !== join(stripe, 'index.ts'))
        .map((target) => `${name(file)} > ${name(target)}`),
    );
    expect(crossings).toEqual([]);
  });
});
