/**
 * A backfill that cannot start: a missing key, an unknown provider, an unreadable date. Its
 * message names what to fix, never a key.
 */
export class BackfillConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackfillConfigError';
  }
}

/** An error's message, for output lines (the CLI) and failure records (the run). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
