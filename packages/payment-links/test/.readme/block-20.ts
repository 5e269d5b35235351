import { checkoutMetadata } from '@datafast-checkout/payment-links/paddle';
import { Paddle } from '@paddle/paddle-node-sdk';

const paddle = new Paddle(process.env.PADDLE_API_KEY ?? '');

export async function POST(request: Request): Promise<Response> {
  const transaction = await paddle.transactions.create({
    items: [{ priceId: 'pri_01gsz8x8sawmvhz1pv30nge1ke', quantity: 1 }],
    customData: checkoutMetadata(request),
  });
  return Response.json({ transactionId: transaction.id });
}

export {};
