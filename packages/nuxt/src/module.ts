import {
  type ClientIpSource,
  clientIpResolver,
  createTrackerProxy,
  type TrackerProxyOptions,
} from '@datafast-checkout/core/proxy';
import {
  addServerHandler,
  addServerImports,
  addServerPlugin,
  addServerTemplate,
  addTypeTemplate,
  createResolver,
  defineNuxtModule,
} from '@nuxt/kit';
import type { NuxtModule } from '@nuxt/schema';

/** `datafastProxy()`'s options that nuxt.config can carry: plain values, no functions. */
export interface ModuleProxyOptions extends Omit<TrackerProxyOptions, 'fetch'> {
  /** Where the visitor's IP is read from; see `datafastProxy`'s `clientIp`. */
  clientIp?: ClientIpSource;
}

/** Options of the Nuxt module, under `datafast` in nuxt.config. */
export interface ModuleOptions {
  /**
   * Serve DataFast's tracker from your origin (`/js/script.js`, `/api/events`) through
   * `datafastProxy()`: `true` for its defaults, or its options that nuxt.config can carry (a
   * `fetch` or a `clientIp` function needs `export default datafastProxy({ … })` in
   * `server/middleware/datafast-proxy.ts` instead). Checked at build. Default `false`.
   *
   * @example
   * datafast: { proxy: { clientIp: { trustedProxies: 1 } } } // behind one nginx of yours
   */
  proxy?: boolean | ModuleProxyOptions;
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
        addProxy(options.proxy === true ? {} : options.proxy, resolve('./server.js'));
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

/**
 * Registers `datafastProxy(options)` as server middleware, through a server template that
 * imports it from `serverEntry`. The options are checked now, so a mistake fails `nuxt build`.
 */
function addProxy(options: ModuleProxyOptions, serverEntry: string): void {
  createTrackerProxy(options);
  if (options.clientIp !== undefined) clientIpResolver(options.clientIp, () => {});
  addServerTemplate({
    filename: '#datafast-checkout/proxy.mjs',
    getContents: () =>
      `import { datafastProxy } from ${JSON.stringify(serverEntry)};\n` +
      `export default datafastProxy(${JSON.stringify(options)});\n`,
  });
  addServerHandler({ middleware: true, handler: '#datafast-checkout/proxy.mjs' });
}
