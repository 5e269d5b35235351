import node from '@astrojs/node';
import { defineConfig } from 'astro/config';

// As users deploy an Astro app on their own server: on-demand rendering, @astrojs/node standalone,
// started with `node ./dist/server/entry.mjs`.
export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  telemetry: false,
});
