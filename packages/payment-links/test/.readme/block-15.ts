import { checkoutMetadata } from '@datafast-checkout/payment-links/polar';
import { Polar } from '@polar-sh/sdk';

const polar = new Polar({ accessToken: process.env.POLAR_ACCESS_TOKEN ?? '' });

export async function POST(request: Request): Promise<Response> {
  const checkout = await polar.checkouts.create({
    products: ['d8a2e7b1-3c4d-4e5f-9a0b-1c2d3e4f5a6b'],
    successUrl: 'https://shop.example/success?checkout_id={CHECKOUT_ID}',
    metadata: checkoutMetadata(request),
  });
  return Response.redirect(checkout.url, 303);
}

export {};
