import { datafastProxy } from '@datafast-checkout/nuxt/server';

// As the README writes it: the tracker at /js/script.js and /api/events, with h3's
// getRequestIP(event) (the connection's address) as the visitor's IP.
export default datafastProxy();
