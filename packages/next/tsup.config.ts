import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // Neutral: no Node built-ins are assumed, so the bundle works in Edge runtime routes too.
  platform: 'neutral',
});
