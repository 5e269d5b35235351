import { datafast } from '@datafast-checkout/astro';
import { createDatafast } from '@datafast-checkout/core';

// Row 1: Astro runs one middleware for every route, so this one picks by route which requests
// go through ours (`/ours*`): `/bare` and `/cookies` go straight to the route. The pick, a string
// comparison on the route Astro matched, is the same on every route, so it cancels out of the
// differences the rows report. Never sends: the rows bind the visitor, they never report.
const ours = datafast(createDatafast({ apiKey: 'df_bench', baseUrl: 'http://127.0.0.1:9' }));

export const onRequest = (context, next) =>
  context.routePattern.startsWith('/ours') ? ours(context, next) : next();
