/**
 * The provider-published payloads, read where CI keeps them: `../shared/fixtures/real` beside
 * the repository (its `SOURCES.md` says where each comes from). Never copied into the
 * repository. A test may change only what `SOURCES.md` allows: the visitor carrier the provider
 * documents, and the signature headers.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

type Json = Record<string, unknown>;

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** `../shared/fixtures/real`, resolved from the repository root. */
export const publishedDir = resolve(repositoryRoot, '../shared/fixtures/real');

/** Fails (never skips) when the folder is not beside the repository. */
export function assertPublishedDir(): void {
  if (!existsSync(join(publishedDir, 'SOURCES.md'))) {
    throw new Error(
      `the provider-published payloads are missing: expected ${publishedDir}/SOURCES.md (../shared/fixtures/real beside the repository, as CI has it)`,
    );
  }
}

/** Every published payload, as `provider/file.json`. */
export function publishedFiles(): string[] {
  assertPublishedDir();
  return readdirSync(publishedDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.json'))
    .map((file) => relative(publishedDir, join(publishedDir, file)).split('\\').join('/'))
    .sort();
}

/** A published payload, parsed: a fresh copy each time, so a scenario's carrier stays its own. */
export function published(file: string): Json {
  assertPublishedDir();
  return JSON.parse(readFileSync(join(publishedDir, file), 'utf8')) as Json;
}

/**
 * The payload with `datafast_visitor_id: visitor` set in the metadata object at each `path`
 * (`['data', 'object', 'metadata']`), created when the published value is `null`; nothing else
 * changes.
 */
export function withCarrier(payload: Json, visitor: string, ...paths: string[][]): Json {
  for (const path of paths) {
    let node: Json = payload;
    for (const [index, key] of path.entries()) {
      const next = node[key];
      if (next === null || next === undefined) {
        node[key] = {};
      } else if (typeof next !== 'object') {
        throw new Error(`${path.slice(0, index + 1).join('.')} is not an object in the payload`);
      }
      node = node[key] as Json;
    }
    node.datafast_visitor_id = visitor;
  }
  return payload;
}
