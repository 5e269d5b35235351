import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The tests run the built CLI and its templates. Under turbo, `build` runs before `test`; a bare
// `vitest run` builds once here so the tests never run against missing files.
export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  if (!existsSync(`${root}/dist/cli.js`) || !existsSync(`${root}/dist/templates`)) {
    execFileSync('pnpm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  }
}
