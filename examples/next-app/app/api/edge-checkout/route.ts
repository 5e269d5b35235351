import { withDatafast } from '@datafast-checkout/next';
import { checkout } from '@/lib/checkout';
import { datafastEdgeClient } from '@/lib/datafast-edge';

// The same checkout on the Edge runtime: the package uses Web APIs only, and `after()` keeps the
// report alive there too. Next 16 deprecates the Edge runtime for route handlers and says so in
// `next build` (a warning with no switch of its own to silence it); the route stays because
// Vercel Edge functions and middleware still run on it, and this proves the adapter does too.
// Delete this file if you do not use the Edge runtime.
export const runtime = 'edge';

export const POST = withDatafast(async (request, { datafast }) => {
  const result = await checkout(await request.json().catch(() => null), datafast);
  return Response.json(result, { status: 'error' in result ? 400 : 200 });
}, datafastEdgeClient);
