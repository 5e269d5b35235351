import type {
  Deadline,
  Delivery,
  ProviderApi,
  WebhookOutcome,
} from '@datafast-checkout/payment-links/backfill';
import type { PageRetry } from './pages.js';

/** The providers the backfill reads. */
export type ProviderName = 'stripe' | 'lemonsqueezy' | 'polar' | 'paddle' | 'creem' | 'dodo';

/** The time range to backfill: `since` included, `until` excluded. */
export interface TimeRange {
  since: Date;
  until: Date;
}

/**
 * One object a listing found, as the webhook event its provider sends for it, so that the
 * webhook's own code maps it. `id` names the object in messages and the table.
 */
export interface ListedEvent {
  id: string;
  event: unknown;
  /** Set when the object is left out before mapping (`test mode`), with the reason. */
  skip?: SkipReason;
}

/** Why a listed object reports nothing. */
export type SkipReason = 'test mode' | 'zero-value' | 'unpaid' | 'no visitor' | 'other';

/** One page of a listing: its objects as events, and the cursor of the next page (none at the end). */
export interface ListedPage {
  events: ListedEvent[];
  next?: string | undefined;
}

/**
 * One list endpoint of a provider, read page by page. The cursor is a string (a Stripe id, a
 * page number, Paddle's `after`), so a resumed run starts from the saved one.
 */
export interface Listing {
  /** Stable, used as the key in the state file: `invoices`. */
  name: string;
  page(cursor: string | undefined, range: TimeRange, options: ListOptions): Promise<ListedPage>;
}

/** How a listing reads its pages. */
export interface ListOptions {
  retry: PageRetry;
  /** Objects per page; default the provider's largest. */
  pageSize?: number | undefined;
}

/** What a provider plugs into the backfill. */
export interface ProviderSource {
  name: ProviderName;
  /** Shown in messages: `Stripe`. */
  label: string;
  /** The environment variable of the API key, and of the base-URL override. */
  keyEnv: string;
  baseEnv: string;
  /** The provider's API for a key and an optional base URL. */
  api(apiKey: string, apiBase: string | undefined): ProviderApi;
  /** Its list endpoints, in the order they are read. */
  listings(api: ProviderApi): Listing[];
  /** The webhook's own event-to-payments function, with API access for its lookups. */
  payments(
    apiKey: string,
    apiBase: string | undefined,
    onError: (error: Error) => void,
  ): (event: never, deadline: Deadline, delivery: Delivery) => Promise<WebhookOutcome>;
}
