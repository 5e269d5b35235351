import {
  addServerHandler,
  addServerImports,
  addServerPlugin,
  addTypeTemplate,
  createResolver,
  defineNuxtModule,
} from '@nuxt/kit';
import type { NuxtModule } from '@nuxt/schema';

/** Options of the Nuxt module, under `datafast` in nuxt.config. */
export interface ModuleOptions {
  /**
   * Serve DataFast's tracker from your origin (`/js/script.js`, `/api/events`) with the
   * defaults of `datafastProxy()`. For other paths or a `clientIp` source, leave this off and
   * write `export default datafastProxy({ … })` in `server/middleware/datafast-proxy.ts`.
   * Default `false`.
   */
  proxy?: boolean;
  /**
   * Register the server plugin that sets `event.context.datafast` (the client configured from
   * `DATAFAST_API_KEY`). Turn it off when your own `server/plugins/datafast.ts` registers
   * `datafast({ … })` with options nuxt.config cannot carry (`onError`, an `outbox`). Default `true`.
   */
  plugin?: boolean;
}

/**
 * The Nuxt module: `modules: ['@datafast-checkout/nuxt']` puts a client bound to the visitor's
 * cookie on `event.context.datafast` in every server route, keeps its reports alive with Nitro's
 * `event.waitUntil`, flushes them when the server closes, and auto-imports `getDatafast` in
 * server code. `datafast: { proxy: true }` adds the tracker proxy.
 *
 * @example
 * export default defineNuxtConfig({ modules: ['@datafast-checkout/nuxt'] })
 */
const datafastModule: NuxtModule<ModuleOptions, ModuleOptions, false> =
  defineNuxtModule<ModuleOptions>({
    meta: {
      name: '@datafast-checkout/nuxt',
      configKey: 'datafast',
      compatibility: { nuxt: '>=4.0.0' },
    },
    defaults: { proxy: false, plugin: true },
    setup(options) {
      const { resolve } = createResolver(import.meta.url);
      if (options.plugin !== false) addServerPlugin(resolve('./runtime/plugin.js'));
      if (options.proxy)
        addServerHandler({ middleware: true, handler: resolve('./runtime/proxy.js') });
      addServerImports([{ name: 'getDatafast', from: resolve('./server.js') }]);
      // Types `event.context.datafast` in server code even with auto-imports off.
      addTypeTemplate(
        {
          filename: 'types/datafast-checkout.d.ts',
          getContents: () => "import type {} from '@datafast-checkout/nuxt/server';\nexport {};\n",
        },
        { nitro: true },
      );
    },
  });

export default datafastModule;
