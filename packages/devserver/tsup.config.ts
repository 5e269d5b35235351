import { cliConfig, libraryConfig } from '../../tsup.base.js';

export default [
  // The library and its `/testing` helpers: ESM and CJS with types. Its clean keeps what the
  // other two builds write.
  libraryConfig({
    entry: { index: 'src/index.ts', testing: 'src/testing/index.ts' },
    target: 'node20',
    platform: 'node',
    clean: ['!cli.js', '!cli.js.map', '!testing/vitest.*'],
  }),
  // `/testing/vitest`: ESM only, as vitest itself is (it refuses `require()`).
  libraryConfig({
    entry: { 'testing/vitest': 'src/testing/vitest.ts' },
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    clean: false,
  }),
  // The CLI (`bin` loads dist/cli.js); its version comes from __PACKAGE_VERSION__.
  cliConfig(),
];
