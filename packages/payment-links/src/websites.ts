import {
  type Datafast,
  type DatafastClientOrOptions,
  type PaymentInput,
  resolveDatafast,
} from '@datafast-checkout/core';
import { WebhookConfigError } from './errors.js';
import { record } from './fields.js';

/** What a {@link WebsiteRouting.route} function is given for one payment. */
export interface WebsiteRouteInput<Source = unknown> {
  /** The payment as it will be reported (visitor included). */
  payment: PaymentInput;
  /**
   * What the payment was read from: the verified webhook event, or the provider object a success
   * page's resolver looked up (a Checkout Session, an order, a transaction).
   */
  source: Source;
  /**
   * The provider object a webhook looked up for a payment whose event carries no checkout
   * metadata: a refund's Checkout Session (Stripe), transaction (Paddle), order (Polar) or
   * payment (Dodo). Only when that lookup ran, which needs the provider's API key or client.
   */
  origin?: unknown;
}

/**
 * One provider account selling for several DataFast websites: each payment is reported to the
 * website `route` names, with that website's client. The clients are built once, with the
 * handler; a payment that names no website goes to the handler's own `datafast` client.
 *
 * @example
 * websites: { clients: { blog: { apiKey: process.env.DATAFAST_BLOG_KEY }, shop: { apiKey: process.env.DATAFAST_SHOP_KEY } }, route: 'datafast_website' }
 */
export interface WebsiteRouting<Source = unknown> {
  /** Each website's DataFast client or `createDatafast` options, under a name of yours. */
  clients: Readonly<Record<string, DatafastClientOrOptions>>;
  /**
   * Which website a payment belongs to: the name of a checkout metadata field whose value is
   * one of the names in `clients` (found in the event, else in the object a refund's lookup
   * read), or a function of the payment and what it was read from (route by product, price or
   * anything else there). `undefined` (no such field): the handler's own `datafast` client.
   */
  route:
    | string
    | ((input: WebsiteRouteInput<Source>) => string | undefined | Promise<string | undefined>);
}

/** The website a payment goes to: its client, and its name (absent for the default client). */
export interface RoutedClient {
  client: Datafast;
  website?: string;
}

/**
 * Picks each payment's client: the default one, or with `routing` the one its route names.
 * Clients are resolved here, once. A route that names a website not in `clients`, or that
 * throws, is a {@link WebhookConfigError} (a webhook answers 503, so the provider redelivers
 * once it is fixed).
 *
 * @example
 * const router = websiteRouter(options.datafast, options.websites); const { client } = await router({ payment, source: event })
 */
export function websiteRouter<Source>(
  fallback: DatafastClientOrOptions | undefined,
  routing: WebsiteRouting<Source> | undefined,
): (input: WebsiteRouteInput<Source>) => Promise<RoutedClient> {
  const defaultClient = resolveDatafast(fallback);
  if (!routing) return async () => ({ client: defaultClient });
  const clients = new Map<string, Datafast>();
  for (const [name, source] of Object.entries(routing.clients)) {
    clients.set(name, resolveDatafast(source));
  }
  const { route } = routing;
  return async (input) => {
    let website: string | undefined;
    try {
      website =
        typeof route === 'string'
          ? findField([input.source, input.origin], route)
          : await route(input);
    } catch (error) {
      throw new WebhookConfigError(
        `the website route threw for ${input.payment.transaction_id}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (website === undefined || website === '') return { client: defaultClient };
    const client = clients.get(website);
    if (!client) {
      const known = [...clients.keys()].map((name) => JSON.stringify(name)).join(', ');
      throw new WebhookConfigError(
        `${input.payment.transaction_id} belongs to website ${JSON.stringify(website)}, which is not one of websites.clients (${known || 'none'})`,
      );
    }
    return { client, website };
  };
}

// Far more than any provider's nesting of metadata; bounds the walk over an untrusted payload.
const maxDepth = 8;
const maxNodes = 5_000;

/**
 * The string value of the shallowest field named `name` in `objects`, searched one after the
 * other, each breadth first (so an object's own `metadata` wins over its line items'). Stripe's
 * `previous_attributes` (what a field was before) is skipped.
 *
 * @example
 * findField([event], 'datafast_website') // 'blog' from event.data.object.metadata.datafast_website
 */
export function findField(objects: unknown[], name: string): string | undefined {
  for (const object of objects) {
    const found = findIn(object, name);
    if (found !== undefined) return found;
  }
  return undefined;
}

function findIn(root: unknown, name: string): string | undefined {
  let level: unknown[] = [root];
  let visited = 0;
  for (let depth = 0; depth <= maxDepth && level.length > 0; depth++) {
    const next: unknown[] = [];
    for (const node of level) {
      if (++visited > maxNodes) return undefined;
      if (Array.isArray(node)) {
        next.push(...node);
        continue;
      }
      const object = record(node);
      if (!object) continue;
      const value = object[name];
      if (typeof value === 'string' && value.trim() !== '') return value.trim();
      for (const [key, child] of Object.entries(object)) {
        if (key !== 'previous_attributes' && typeof child === 'object' && child !== null) {
          next.push(child);
        }
      }
    }
    level = next;
  }
  return undefined;
}
