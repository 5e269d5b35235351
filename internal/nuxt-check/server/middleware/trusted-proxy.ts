import { datafastProxy } from '@datafast-checkout/nuxt/server';

// A second proxy, as an app behind one nginx of its own would write it.
export default datafastProxy({
  scriptPath: '/behind-nginx/js/script.js',
  eventsPath: '/behind-nginx/api/events',
  clientIp: { trustedProxies: 1 },
});
