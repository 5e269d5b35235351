import { onPaymentSucceeded, toExpress } from '@datafast-checkout/payment-links';
import express from 'express';

declare function gumroadSale(
  id: string,
): Promise<{ id: string; price: number; currency: string; email: string } | null>;

const app = express();
app.get(
  '/thanks',
  toExpress(
    onPaymentSucceeded(
      async (request) => {
        const sale = await gumroadSale(new URL(request.url).searchParams.get('sale_id') ?? '');
        return (
          sale && {
            amount: sale.price / 100,
            currency: sale.currency,
            transaction_id: `gumroad_${sale.id}`,
            email: sale.email,
          }
        );
      },
      () => new Response('Thanks for your purchase!'),
    ),
  ),
);

export {};
