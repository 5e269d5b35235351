import { libraryConfig } from '../../tsup.base.js';

export default [
  // The programmatic API (what the templates build step and tests use): ESM and CJS with types.
  // `shims` gives the CJS build import.meta.url, which finds dist/templates. Its clean keeps the
  // CLI and the templates, which the other steps write.
  libraryConfig({
    target: 'node20',
    platform: 'node',
    shims: true,
    clean: ['!cli.js', '!cli.js.map'],
  }),
  // The CLI: ESM only (`bin` loads dist/cli.js).
  libraryConfig({
    entry: ['src/cli.ts'],
    format: ['esm'],
    dts: false,
    clean: false,
    target: 'node20',
    platform: 'node',
  }),
];
