import { onPaymentSucceeded } from '@datafast-checkout/payment-links';
import { after } from 'next/server';

declare function capturePayPalOrder(
  token: string,
): Promise<{ id: string; status: string; amount: { value: string; currency_code: string } }>;

export const GET = onPaymentSucceeded(
  async (request) => {
    const token = new URL(request.url).searchParams.get('token');
    if (!token) return null;
    const order = await capturePayPalOrder(token);
    if (order.status !== 'COMPLETED') return null;
    return {
      amount: Number(order.amount.value),
      currency: order.amount.currency_code,
      transaction_id: `paypal_${order.id}`,
    };
  },
  (request) => Response.redirect(new URL('/thanks', request.url), 303),
  { waitUntil: after },
);

export {};
