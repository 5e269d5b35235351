import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { findSecrets } from './support/secrets.js';

// Every test file captures what its children printed and every log line it saw into one
// directory; once all have run, not one secret may appear in any of it.
export default function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'datafast-reliability-capture-'));
  project.provide('captureDir', dir);
  return () => {
    const files = readdirSync(dir);
    const texts = Object.fromEntries(
      files.map((file) => [file, readFileSync(join(dir, file), 'utf8')]),
    );
    const bytes = Object.values(texts).reduce((sum, text) => sum + text.length, 0);
    const findings = findSecrets(texts);
    rmSync(dir, { recursive: true, force: true });
    if (findings.length > 0) {
      const list = findings.map((f) => `  ${f.source}: ${f.secret} in …${f.context}…`).join('\n');
      // Vitest reports an error thrown here but still exits 0: the exit code makes it a failure.
      process.exitCode = 1;
      throw new Error(`secrets found in the suite's captured output:\n${list}`);
    }
    console.log(
      `[reliability] secret scan: ${files.length} captured outputs, ${bytes} characters, no secret found`,
    );
  };
}
