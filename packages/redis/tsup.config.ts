import { libraryConfig } from '../../tsup.base.js';

// Neutral: the outbox only calls the client it is given (Upstash's runs on edge runtimes).
export default libraryConfig();
