import { onPaymentSucceeded } from '@datafast-checkout/payment-links';
import type { ServerLoad } from '@sveltejs/kit';

declare function findSettledTransfer(
  reference: string,
): Promise<{ reference: string; cents: number; currency: string } | null>;

const reportTransfer = onPaymentSucceeded(async (request) => {
  const reference = new URL(request.url).searchParams.get('ref');
  const transfer = reference ? await findSettledTransfer(reference) : null;
  return (
    transfer && {
      amount: transfer.cents / 100,
      currency: transfer.currency,
      transaction_id: `transfer_${transfer.reference}`,
    }
  );
});

// On Cloudflare or Vercel Edge pass the platform's waitUntil: reportTransfer(request, { waitUntil })
export const load: ServerLoad = async ({ request }) => ({ payment: await reportTransfer(request) });

export {};
