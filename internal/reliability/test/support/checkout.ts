import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';

/**
 * Pays `count` times through the example's `POST /api/checkout`, `concurrency` at a time, and
 * resolves the charge ids it answered (each answered only after `track` returned).
 */
export async function checkouts(
  appUrl: string,
  count: number,
  concurrency = 20,
): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  async function worker() {
    while (next < count) {
      const i = next++;
      const response = await fetch(`${appUrl}/api/checkout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: `datafast_visitor_id=${visitor}` },
        body: JSON.stringify({
          amount: 10 + (i % 50),
          currency: 'EUR',
          email: `buyer${i}@example.com`,
        }),
      });
      if (response.status !== 200) throw new Error(`checkout ${i}: HTTP ${response.status}`);
      ids.push(((await response.json()) as { transaction_id: string }).transaction_id);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ids;
}

/** The outbox log of a directory, line by line as the file outbox wrote it. */
export const outboxFile = (dir: string) => join(dir, 'outbox.jsonl');

/**
 * The ids a file outbox holds, read independently of core: `put` lines minus `delete` lines,
 * skipping a torn line.
 */
export function outboxIds(dir: string): Set<string> {
  const live = new Set<string>();
  if (!existsSync(outboxFile(dir))) return live;
  for (const raw of readFileSync(outboxFile(dir), 'utf8').split('\n')) {
    let line: { op?: string; id?: string; entry?: { id?: string } };
    try {
      line = JSON.parse(raw);
    } catch {
      continue;
    }
    if (line.op === 'put' && line.entry?.id) live.add(line.entry.id);
    if (line.op === 'delete' && line.id) live.delete(line.id);
  }
  return live;
}
