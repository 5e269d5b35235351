import { libraryConfig } from '../../tsup.base.js';

export default [
  // The server side runs wherever Nitro does (Node, Workers, Vercel, Netlify, Deno, Bun): neutral,
  // with h3 the app's own. The runtime plugin is what the module hands Nitro to bundle; it
  // shares one chunk with `./server`, so an app that also imports it holds one copy.
  libraryConfig({
    entry: { server: 'src/server.ts', 'runtime/plugin': 'src/runtime/plugin.ts' },
    external: ['@datafast-checkout/core', 'h3'],
  }),
  // The Nuxt module runs in Nuxt's build, on Node.
  libraryConfig({
    entry: { module: 'src/module.ts' },
    platform: 'node',
    shims: true,
    clean: false,
    external: ['@datafast-checkout/core', '@nuxt/kit'],
    // core/proxy's checks run at build; bundled here would be a second copy of core.
  }),
];
