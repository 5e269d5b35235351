import { readVisitorId } from '@datafast-checkout/payment-links/browser';

declare const Paddle: {
  Checkout: {
    open(options: {
      items: Array<{ priceId: string; quantity: number }>;
      customData?: Record<string, string>;
    }): void;
  };
};

const visitorId = readVisitorId();
Paddle.Checkout.open({
  items: [{ priceId: 'pri_01gsz8x8sawmvhz1pv30nge1ke', quantity: 1 }],
  ...(visitorId ? { customData: { datafast_visitor_id: visitorId } } : {}),
});

export {};
