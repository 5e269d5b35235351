import { cliConfig, libraryConfig } from '../../tsup.base.js';

export default [
  // The library, its `/testing` helpers and `/testing/vitest` suites: ESM and CJS with types. Its clean keeps the CLI,
  // which the second build writes.
  libraryConfig({
    entry: {
      index: 'src/index.ts',
      testing: 'src/testing/index.ts',
      'testing/vitest': 'src/testing/vitest.ts',
    },
    target: 'node20',
    platform: 'node',
    clean: ['!cli.js', '!cli.js.map'],
  }),
  // The CLI (`bin` loads dist/cli.js); its version comes from __PACKAGE_VERSION__.
  cliConfig(),
];
