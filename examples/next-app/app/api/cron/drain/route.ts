import { isCronAuthorized } from '@datafast-checkout/next';
import { datafastClient } from '@/lib/datafast';

// What Vercel Cron calls (vercel.json): delivers the reports waiting in the outbox, those whose
// function froze while DataFast was down. Only with `Authorization: Bearer ${CRON_SECRET}`,
// compared in constant time; with CRON_SECRET unset, everyone is refused.
export const maxDuration = 60;

export async function GET(request: Request) {
  if (!isCronAuthorized(request)) return Response.json({ error: 'unauthorized' }, { status: 401 });
  // Below maxDuration, less one attempt's timeout (10 s): { delivered, retried, gaveUp, remaining }.
  return Response.json(await datafastClient.drain({ timeMs: 45_000 }));
}
