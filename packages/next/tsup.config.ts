import { libraryConfig } from '../../tsup.base.js';

// Neutral (the default): the bundle also runs in Edge runtime routes.
export default libraryConfig();
