import { libraryConfig } from '../../tsup.base.js';

export default libraryConfig({
  // cli.ts starts with a shebang, which esbuild keeps and tsup turns into an executable bit.
  // The CLI is ESM only: `bin` points at dist/cli.js.
  entry: ['src/index.ts', 'src/cli.ts'],
  dts: { entry: 'src/index.ts' },
  target: 'node20',
  platform: 'node',
});
