import { libraryConfig } from '../../tsup.base.js';

// Neutral (the default): every entry runs on Node, Edge and Workers. No splitting, so each
// entry is one self-contained file: `dist/browser.js` can be served to a page as it is.
// `stripe` stays external (an optional peer, imported only when no client is passed).
export default libraryConfig({
  entry: {
    index: 'src/index.ts',
    stripe: 'src/stripe/index.ts',
    lemonsqueezy: 'src/lemonsqueezy/index.ts',
    polar: 'src/polar/index.ts',
    paddle: 'src/paddle/index.ts',
    creem: 'src/creem/index.ts',
    dodo: 'src/dodo/index.ts',
    browser: 'src/browser.ts',
    backfill: 'src/backfill.ts',
  },
  splitting: false,
  external: ['stripe'],
});
