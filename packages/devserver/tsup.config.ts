import { libraryConfig } from '../../tsup.base.js';

export default [
  // The library and its `/testing` helpers: ESM and CJS with types. Its clean keeps the CLI,
  // which the second build writes.
  libraryConfig({
    entry: { index: 'src/index.ts', testing: 'src/testing/index.ts' },
    target: 'node20',
    platform: 'node',
    clean: ['!cli.js', '!cli.js.map'],
  }),
  // The CLI: ESM only (`bin` loads dist/cli.js). cli.ts starts with a shebang, which esbuild
  // keeps and tsup turns into an executable bit. Its version comes from __PACKAGE_VERSION__.
  libraryConfig({
    entry: ['src/cli.ts'],
    format: ['esm'],
    dts: false,
    clean: false,
    target: 'node20',
    platform: 'node',
  }),
];
