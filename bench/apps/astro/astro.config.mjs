import node from '@astrojs/node';
import { defineConfig } from 'astro/config';

// As users deploy an Astro app on their own server: on-demand rendering, @astrojs/node standalone,
// started with `node ./dist/server/entry.mjs` (bench/lib/apps.mjs starts it on Node 22), for the
// whole requests. The in-process rows (rows/astro-inprocess.mjs) call the same app built in
// @astrojs/node's middleware mode into dist-middleware/ (BENCH_ASTRO_MIDDLEWARE=1): its handler
// is Astro's request handling alone, without the standalone server's static-file lookup, a
// filesystem stat per request that would drown a microsecond in its noise.
const middlewareMode = process.env.BENCH_ASTRO_MIDDLEWARE === '1';

export default defineConfig({
  output: 'server',
  adapter: node({ mode: middlewareMode ? 'middleware' : 'standalone' }),
  outDir: middlewareMode ? './dist-middleware' : './dist',
  telemetry: false,
});
