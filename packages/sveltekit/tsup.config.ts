import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // Neutral: the handle runs wherever SvelteKit does (Node, Workers, Vercel Edge, Deno, Bun).
  platform: 'neutral',
  // Core is a dependency, not bundled; kit is only imported for types.
  external: ['@datafast-checkout/core', '@sveltejs/kit'],
});
