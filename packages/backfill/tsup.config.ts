import { cliConfig, libraryConfig } from '../../tsup.base.js';

export default [
  // The programmatic API: ESM and CJS with types, for Node (the state file, the terminal). Its
  // clean keeps the CLI, which the second build writes.
  libraryConfig({ target: 'node20', platform: 'node', clean: ['!cli.js', '!cli.js.map'] }),
  // The CLI (`bin` loads dist/cli.js).
  cliConfig(),
];
