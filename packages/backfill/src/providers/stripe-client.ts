import {
  getJson,
  type ProviderApi,
  type StripeClient,
} from '@datafast-checkout/payment-links/backfill';

/**
 * The few `stripe` client calls the Stripe webhook's lookups make (Checkout Sessions, invoices
 * and invoice payments, listed by a field), over `fetch` against `api`: the backfill needs no
 * `stripe` package, and its requests go to `STRIPE_API_BASE` when set. Signatures are never
 * checked here (listed objects come from Stripe's API itself).
 */
export function stripeRestClient(api: ProviderApi): StripeClient {
  const lister = (path: string) => ({
    async list(params: object = {}) {
      const body = await getJson(api, path, formQuery(params));
      return {
        data: Array.isArray(body?.data) ? (body.data as unknown[]) : [],
        has_more: body?.has_more === true,
      };
    },
  });
  return {
    webhooks: {
      constructEventAsync: () =>
        Promise.reject(new Error('the backfill reads Stripe objects from the API, not webhooks')),
    },
    checkout: {
      sessions: {
        ...lister('/v1/checkout/sessions'),
        retrieve: async (id: string) =>
          getJson(api, `/v1/checkout/sessions/${encodeURIComponent(id)}`),
      },
    },
    invoices: lister('/v1/invoices'),
    invoicePayments: lister('/v1/invoice_payments'),
  };
}

/** Stripe's form encoding of nested params as a flat query: `payment[type]`, `expand[0]`. */
export function formQuery(params: object, prefix = ''): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    const name = prefix ? `${prefix}[${key}]` : key;
    if (value === undefined || value === null) continue;
    if (typeof value === 'object') Object.assign(query, formQuery(value as object, name));
    else query[name] = String(value);
  }
  return query;
}
