/**
 * The parts of Stripe's objects this package reads, every field optional: webhook payloads come
 * in the endpoint's API version, not the one `stripe` pins, so nothing may be assumed present.
 * Structural on purpose: no type from `stripe` reaches our declarations, so the package type-checks
 * without it installed, and any `stripe` version's objects fit.
 */

/** A Stripe id, or the object when it was expanded. */
export type Expandable = string | { id?: string } | null | undefined;

export type StripeMetadata = Record<string, string | undefined> | null | undefined;

/** https://docs.stripe.com/api/checkout/sessions/object */
export interface CheckoutSessionLike {
  id?: string;
  object?: string;
  mode?: string;
  status?: string | null;
  payment_status?: string;
  amount_total?: number | null;
  amount_subtotal?: number | null;
  currency?: string | null;
  total_details?: { amount_discount?: number | null } | null;
  client_reference_id?: string | null;
  metadata?: StripeMetadata;
  customer?: Expandable;
  customer_details?: { email?: string | null; name?: string | null } | null;
  invoice?: Expandable;
  payment_intent?: Expandable;
  subscription?: Expandable;
  created?: number;
}

/** https://docs.stripe.com/api/invoices/object (both the 2025-03-31 `parent` shape and the older one). */
export interface InvoiceLike {
  id?: string;
  object?: string;
  billing_reason?: string | null;
  amount_paid?: number | null;
  currency?: string | null;
  customer?: Expandable;
  customer_email?: string | null;
  customer_name?: string | null;
  metadata?: StripeMetadata;
  total_discount_amounts?: Array<{ amount?: number | null }> | null;
  status_transitions?: { paid_at?: number | null } | null;
  created?: number;
  /** Since API version 2025-03-31. */
  parent?: {
    subscription_details?: { subscription?: Expandable; metadata?: StripeMetadata } | null;
  } | null;
  /** Before API version 2025-03-31. */
  subscription?: Expandable;
  /** Before API version 2025-03-31. */
  subscription_details?: { metadata?: StripeMetadata } | null;
}

/** https://docs.stripe.com/api/refunds/object */
export interface RefundLike {
  id?: string;
  object?: string;
  amount?: number | null;
  currency?: string | null;
  status?: string | null;
  metadata?: StripeMetadata;
  payment_intent?: Expandable;
  charge?: Expandable;
  created?: number;
}

/** https://docs.stripe.com/api/charges/object (for `charge.refunded` on older endpoints). */
export interface ChargeLike {
  id?: string;
  object?: string;
  metadata?: StripeMetadata;
  payment_intent?: Expandable;
  customer?: Expandable;
  refunds?: { data?: RefundLike[] | null } | null;
}

/** https://docs.stripe.com/api/disputes/object */
export interface DisputeLike {
  id?: string;
  object?: string;
  amount?: number | null;
  currency?: string | null;
  /** `lost`, `won`, `warning_closed` once closed; `needs_response`, `under_review`, ... before. */
  status?: string | null;
  metadata?: StripeMetadata;
  charge?: Expandable;
  payment_intent?: Expandable;
  created?: number;
}

/** https://docs.stripe.com/api/events/object */
export interface StripeEventLike {
  id?: string;
  type?: string;
  created?: number;
  data?: { object?: unknown };
}

/** A list answer of Stripe's API. */
export interface StripeList<T> {
  data: T[];
  has_more?: boolean;
}

/**
 * What this package uses of a `stripe` client (`new Stripe(key)`, versions 18 to 23). Your
 * client fits as it is.
 *
 * @example
 * const stripe: StripeClient = new Stripe(process.env.STRIPE_SECRET_KEY)
 */
export interface StripeClient {
  webhooks: {
    constructEventAsync(
      payload: string,
      header: string,
      secret: string,
      tolerance?: number,
    ): Promise<unknown>;
  };
  checkout: {
    sessions: {
      retrieve(id: string, params?: object, options?: { timeout?: number }): Promise<unknown>;
      list(params?: object): Promise<StripeList<unknown>>;
    };
  };
  /** Stripe API 2025-03-31 and later: how a refunded payment finds its invoice. */
  invoicePayments?: { list(params?: object): Promise<StripeList<unknown>> };
  /** A subscription's paid invoices: whether a charge is a renewal. */
  invoices?: { list(params?: object): Promise<StripeList<unknown>> };
}
