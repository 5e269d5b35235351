import { lemonSqueezyWebhook } from '@datafast-checkout/payment-links/lemonsqueezy';

declare const kv: {
  get(key: string): Promise<number | undefined>;
  set(key: string, value: number): Promise<void>;
};

export const POST = lemonSqueezyWebhook({
  refundTotals: {
    get: (key) => kv.get(`refunds:${key}`),
    set: (key, total) => kv.set(`refunds:${key}`, total),
  },
});

export {};
