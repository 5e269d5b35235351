import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ProviderName, TimeRange } from './source.js';

/**
 * Where an interrupted run continues: per listing, the cursor of the first page not yet fully
 * reported, or `done`. Holds no key, no payment: only the provider, the range and cursors
 * (provider object ids or page numbers).
 */
export interface BackfillState {
  version: 1;
  provider: ProviderName;
  since: string;
  until: string;
  listings: Record<string, { cursor?: string; done?: boolean }>;
}

/** The state file's default name, in the current directory: `.datafast-backfill-stripe.json`. */
export function defaultStatePath(provider: ProviderName): string {
  return `.datafast-backfill-${provider}.json`;
}

/**
 * The saved state of an interrupted run of the same provider and range, or `undefined` (no file,
 * another range, or a file that is not ours: a fresh run, never a crash).
 */
export async function loadState(
  path: string,
  provider: ProviderName,
  range: TimeRange,
): Promise<BackfillState | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const state = JSON.parse(text) as BackfillState;
    const same =
      state.version === 1 &&
      state.provider === provider &&
      state.since === range.since.toISOString() &&
      state.until === range.until.toISOString() &&
      typeof state.listings === 'object' &&
      state.listings !== null;
    return same ? state : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the state whole (a temporary file renamed over the old one, so a crash leaves either). */
export async function saveState(path: string, state: BackfillState): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`);
  await rename(temporary, path);
}

/** Removes the state of a run that finished with nothing failed. */
export async function clearState(path: string): Promise<void> {
  await rm(path, { force: true });
}
