import { readFileSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';

/**
 * The build every published package shares: ESM and CJS with per-format types (`.d.ts`,
 * `.d.cts`), platform-neutral unless a package says otherwise, its version available as
 * `__PACKAGE_VERSION__`. Run from the package's folder (tsup's working directory).
 *
 * @example
 * export default libraryConfig({ platform: 'node' }) // packages/express/tsup.config.ts
 */
export function libraryConfig(overrides: Options = {}) {
  const { version } = JSON.parse(readFileSync('./package.json', 'utf8')) as { version: string };
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'es2022',
    // Neutral: no Node built-ins are assumed, so bundles run on edge runtimes unless a package
    // opts into Node.
    platform: 'neutral',
    define: { __PACKAGE_VERSION__: JSON.stringify(version) },
    ...overrides,
  });
}

/**
 * A package's command-line entry: ESM only (its `bin` launcher imports dist/cli.js), for Node.
 * A shebang at the top of the entry is kept and makes the file executable. Its `clean` is off:
 * the library build beside it cleans dist.
 *
 * @example
 * export default [libraryConfig({ platform: 'node' }), cliConfig()] // packages/devserver/tsup.config.ts
 */
export function cliConfig(entry = 'src/cli.ts') {
  return libraryConfig({
    entry: [entry],
    format: ['esm'],
    dts: false,
    clean: false,
    target: 'node20',
    platform: 'node',
  });
}
