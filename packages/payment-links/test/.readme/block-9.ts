import { checkoutMetadata } from '@datafast-checkout/payment-links/lemonsqueezy';
import { createCheckout, lemonSqueezySetup } from '@lemonsqueezy/lemonsqueezy.js';

lemonSqueezySetup({ apiKey: process.env.LEMONSQUEEZY_API_KEY ?? '' });

export async function POST(request: Request): Promise<Response> {
  const { data, error } = await createCheckout(12345, 67890, {
    checkoutData: { custom: checkoutMetadata(request) },
    productOptions: { redirectUrl: 'https://shop.example/thanks?order_id=[order_id]' },
  });
  if (error || !data) return new Response('Checkout unavailable', { status: 502 });
  return Response.redirect(data.data.attributes.url, 303);
}

export {};
