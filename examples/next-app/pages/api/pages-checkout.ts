import { withDatafastApi } from '@datafast-checkout/next';
import { checkout } from '@/lib/checkout';
import { datafastClient } from '@/lib/datafast';

// The same checkout for apps still on the Pages Router. There is no `after()` here: the report
// runs in the server process's background queue, which `next start` keeps alive. On Vercel the
// client finds the request's `waitUntil` by itself; on other serverless hosts, give the client
// in lib/datafast.ts your platform's `waitUntil`.
export default withDatafastApi(async (req, res, datafast) => {
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST').status(405).json({ error: 'use POST' });
    return;
  }
  const result = await checkout(req.body, datafast);
  res.status('error' in result ? 400 : 200).json(result);
}, datafastClient);
