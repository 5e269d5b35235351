/**
 * A config object or `--config` file that the devserver can not use. The message says which
 * entry is wrong; it never repeats a key or token.
 *
 * @example
 * try { await startDevServer({ websites: [{ id: '', apiKey: 'x' }] }) } catch (e) { if (e instanceof DevServerConfigError) console.error(e.message) }
 */
export class DevServerConfigError extends Error {
  /** Stable code for programmatic checks. */
  readonly code = 'DEVSERVER_CONFIG';
  override name = 'DevServerConfigError';
}

/**
 * A `--data` file that exists but can not be read as the devserver's data. Raised at start so a
 * corrupt file is never silently replaced by an empty store.
 *
 * @example
 * await startDevServer({ dataFile: 'broken.json' }).catch((e) => e instanceof DevServerDataError)
 */
export class DevServerDataError extends Error {
  /** Stable code for programmatic checks. */
  readonly code = 'DEVSERVER_DATA';
  override name = 'DevServerDataError';
}

/** ' (at position N)' from a JSON.parse error, without the quoted source it also contains. */
export function jsonErrorPosition(error: unknown): string {
  const match = /position (\d+)/.exec(String((error as Error)?.message));
  return match ? ` (at position ${match[1]})` : '';
}
