import { checkoutMetadata } from '@datafast-checkout/payment-links/creem';
import { Creem } from 'creem';

const apiKey = process.env.CREEM_API_KEY ?? '';
// Test-mode keys (creem_test_…) only work against Creem's test API.
const creem = new Creem({ apiKey, server: apiKey.startsWith('creem_test_') ? 'test' : 'prod' });

export async function POST(request: Request): Promise<Response> {
  const checkout = await creem.checkouts.create({
    productId: 'prod_6tW66i0oZM7w1qXReHJrwg',
    successUrl: 'https://shop.example/thanks',
    metadata: checkoutMetadata(request),
  });
  return Response.redirect(checkout.checkoutUrl ?? '/', 303);
}

export {};
