// What a user writes: the module, with the tracker proxy at its default paths. Source maps off
// only to keep the test's one build short.
export default defineNuxtConfig({
  modules: ['@datafast-checkout/nuxt'],
  datafast: { proxy: true },
  compatibilityDate: '2026-11-01',
  devtools: { enabled: false },
  telemetry: false,
  sourcemap: false,
});
