import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The directory global-setup.ts scans for secrets once every test file has run. */
    captureDir: string;
  }
}

/**
 * Keeps `text` as part of the suite's captured output (a child's stdout and stderr, a log
 * line), under `source`. Everything kept is scanned for secrets at the end of the run.
 */
export function capture(source: string, text: string): void {
  if (!text) return;
  const file = `${source.replaceAll(/[^\w.-]+/g, '_')}.log`;
  appendFileSync(join(inject('captureDir'), file), text.endsWith('\n') ? text : `${text}\n`);
}

/** A core `Logger` whose every line is kept in `lines` and captured under `source`. */
export function capturingLogger(source: string) {
  const lines: string[] = [];
  const keep = (level: string) => (message: string) => {
    const line = `${level}: ${message}`;
    lines.push(line);
    capture(source, line);
  };
  return { lines, warn: keep('warn'), error: keep('error'), debug: keep('debug') };
}
