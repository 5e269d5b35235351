import { withDatafast } from '@datafast-checkout/next';
import { checkout } from '@/lib/checkout';
import { datafastClient } from '@/lib/datafast';

// The same checkout on the Edge runtime: the package uses Web APIs only, and `after()` keeps the
// report alive there too.
export const runtime = 'edge';

export const POST = withDatafast(async (request, { datafast }) => {
  const result = await checkout(await request.json().catch(() => null), datafast);
  return Response.json(result, { status: 'error' in result ? 400 : 200 });
}, datafastClient);
