// What a user writes: the module, here with a tracker proxy behind one nginx (the default-path
// one is server/middleware/datafast-proxy.ts). Source maps off only to keep the one build short.
export default defineNuxtConfig({
  modules: ['@datafast-checkout/nuxt'],
  datafast: {
    proxy: {
      scriptPath: '/behind-nginx/js/script.js',
      eventsPath: '/behind-nginx/api/events',
      clientIp: { trustedProxies: 1 },
    },
  },
  compatibilityDate: '2026-11-01',
  devtools: { enabled: false },
  telemetry: false,
  sourcemap: false,
});
