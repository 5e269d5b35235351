import { checkoutMetadata } from '@datafast-checkout/payment-links/dodo';
import DodoPayments from 'dodopayments';

const dodo = new DodoPayments({
  bearerToken: process.env.DODO_PAYMENTS_API_KEY ?? '',
  environment: 'test_mode',
});

export async function POST(request: Request): Promise<Response> {
  const session = await dodo.checkoutSessions.create({
    product_cart: [{ product_id: 'pdt_CZikJJg7rTP13neCwBqng', quantity: 1 }],
    return_url: 'https://shop.example/thanks',
    metadata: checkoutMetadata(request),
  });
  return Response.redirect(session.checkout_url ?? '/', 303);
}

export {};
