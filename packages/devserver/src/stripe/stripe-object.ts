/** A JSON object, as Stripe's objects are. */
export type Json = Record<string, unknown>;

/** A Stripe object as the API answers it: an `id` and whatever fields the object has. */
export type StripeObject = { id: string } & Json;

/** Who paid: the Customer and the Checkout Session's `customer_details`. */
export interface Buyer {
  customer: string | null;
  email: string | null;
  name: string | null;
  country?: string | null;
}
