import { libraryConfig } from '../../tsup.base.js';

// Platform-neutral: the package imports no driver and nothing of Node, so it runs wherever the
// driver it is given does (Neon's serverless driver on Edge runtimes included).
export default libraryConfig();
