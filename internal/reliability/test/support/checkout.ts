import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

/**
 * The files of a file outbox's log, oldest first, as the file outbox writes them: `outbox.<n>.jsonl`
 * (and `outbox.jsonl`, an earlier version's single log, before them).
 */
export function outboxFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const seq = (name: string) => (name === 'outbox.jsonl' ? 0 : Number(name.split('.')[1]));
  return readdirSync(dir)
    .filter((name) => /^outbox(\.\d+)?\.jsonl$/.test(name))
    .sort((a, b) => seq(a) - seq(b))
    .map((name) => join(dir, name));
}

/**
 * The ids a file outbox holds, read independently of core: `put` lines minus `delete` lines,
 * file after file, skipping a torn line.
 */
export function outboxIds(dir: string): Set<string> {
  const live = new Set<string>();
  for (const file of outboxFiles(dir)) {
    for (const raw of readFileSync(file, 'utf8').split('\n')) {
      let line: { op?: string; id?: string; entry?: { id?: string } };
      try {
        line = JSON.parse(raw);
      } catch {
        continue;
      }
      if (line.op === 'put' && line.entry?.id) live.add(line.entry.id);
      if (line.op === 'delete' && line.id) live.delete(line.id);
    }
  }
  return live;
}
