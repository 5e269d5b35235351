// The DataFast module puts `event.context.datafast` (and the auto-imported `getDatafast(event)`)
// on every server request, bound to the visitor's `datafast_visitor_id` cookie; the client itself
// is registered in server/plugins/datafast.ts, with its `onError`.
export default defineNuxtConfig({
  modules: ['@datafast-checkout/nuxt'],
  datafast: {
    plugin: false,
    // The tracker proxy: GET /js/script.js and POST /api/events, forwarded to DataFast (locally,
    // to the devserver's stand-in tracker) from this origin, so ad blockers that block datafa.st
    // do not cost the visitor's attribution. It tells DataFast the visitor's IP: the
    // connection's address. Behind load balancers or reverse proxies you run, set
    // DATAFAST_TRUSTED_PROXIES to their number (or `proxy: { clientIp: { trustedProxies: 1 } }`);
    // reached directly, leave it unset: X-Forwarded-For then comes from the visitor and is ignored.
    proxy: true,
  },
  compatibilityDate: '2026-11-01',
  devtools: { enabled: false },
});
