import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Outbox, OutboxEntry } from '@datafast-checkout/core';

/**
 * A plain {@link Outbox} on a real, asynchronous store: one JSON file per report in `dir`,
 * written and removed with `node:fs/promises`, as a user's own store on a disk or a database
 * driver would be (each call settles only after a trip through the event loop's I/O). `ids`
 * reads what the directory holds now.
 */
export function directoryOutbox(dir: string): Outbox & { ids(): Promise<string[]> } {
  const file = (id: string) => join(dir, `${encodeURIComponent(id)}.json`);
  const ids = async () => (await readdir(dir)).map((name) => decodeURIComponent(name.slice(0, -5)));
  return {
    put: (entry) => writeFile(file(entry.id), JSON.stringify(entry)),
    delete: (id) => rm(file(id), { force: true }),
    list: async (options) => {
      const entries = await Promise.all(
        (await ids()).map(
          async (id) => JSON.parse(await readFile(file(id), 'utf8')) as OutboxEntry,
        ),
      );
      entries.sort((a, b) => a.createdAt - b.createdAt);
      return entries.slice(0, options?.limit ?? entries.length);
    },
    ids,
  };
}
