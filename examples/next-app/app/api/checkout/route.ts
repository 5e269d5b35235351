import { withDatafast } from '@datafast-checkout/next';
import { checkout } from '@/lib/checkout';
import { datafastClient } from '@/lib/datafast';

// `datafast` is bound to the visitor in the request's cookie; its reports run after the response.
export const POST = withDatafast(async (request, { datafast }) => {
  const result = await checkout(await request.json().catch(() => null), datafast);
  return Response.json(result, { status: 'error' in result ? 400 : 200 });
}, datafastClient);
