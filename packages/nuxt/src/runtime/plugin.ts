// The server plugin the Nuxt module registers: the shared client configured from the environment.
import { datafast } from '../context.js';

export default datafast();
