// The server middleware the Nuxt module registers with `datafast: { proxy: true }`.
import { datafastProxy } from '../proxy.js';

export default datafastProxy();
