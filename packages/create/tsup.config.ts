import { cliConfig, libraryConfig } from '../../tsup.base.js';

export default [
  // The programmatic API (what the templates build step and tests use): ESM and CJS with types.
  // `shims` gives the CJS build import.meta.url, which finds dist/templates. Its clean keeps the
  // CLI, which the second build writes; scripts/build-templates.mjs writes dist/templates after.
  libraryConfig({
    target: 'node20',
    platform: 'node',
    shims: true,
    clean: ['!cli.js', '!cli.js.map'],
  }),
  // The CLI (`bin` loads dist/cli.js); its version comes from __PACKAGE_VERSION__.
  cliConfig(),
];
