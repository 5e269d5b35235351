import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The CLI tests run the built bin. Under turbo, `build` runs before `test`; a bare `vitest run`
// builds once here so the tests never run against a missing file.
export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  if (!existsSync(`${root}/dist/cli.js`)) {
    execFileSync('pnpm', ['exec', 'tsup'], { cwd: root, stdio: 'inherit' });
  }
}
