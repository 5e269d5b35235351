import { libraryConfig } from '../../tsup.base.js';

export default [
  // The server side runs wherever Nitro does (Node, Workers, Vercel, Netlify, Deno, Bun): neutral,
  // with h3 the app's own. The runtime files are what the module hands Nitro to bundle; they
  // share one chunk with `./server`, so an app that also imports it holds one copy.
  libraryConfig({
    entry: {
      server: 'src/server.ts',
      'runtime/plugin': 'src/runtime/plugin.ts',
      'runtime/proxy': 'src/runtime/proxy.ts',
    },
    external: ['@datafast-checkout/core', 'h3'],
  }),
  // The Nuxt module runs in Nuxt's build, on Node.
  libraryConfig({
    entry: { module: 'src/module.ts' },
    platform: 'node',
    shims: true,
    clean: false,
    external: ['@datafast-checkout/core', '@nuxt/kit'],
  }),
];
