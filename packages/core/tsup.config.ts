import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('./package.json', 'utf8')) as { version: string };

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // Neutral: no Node built-ins are assumed, so the bundle runs on edge runtimes unchanged.
  platform: 'neutral',
  define: { __PACKAGE_VERSION__: JSON.stringify(version) },
});
