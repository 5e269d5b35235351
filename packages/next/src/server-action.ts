import {
  type BoundDatafast,
  type DatafastClientOrOptions,
  resolveDatafast,
  VISITOR_COOKIE,
} from '@datafast-checkout/core';
import { afterResponse } from './after.js';

/**
 * A client bound to the current request's visitor, for Server Actions and Server Components.
 * Reads the `datafast_visitor_id` cookie through `cookies()`, which is why it is async (Server
 * Actions and Server Components have no request object; Express's and SvelteKit's
 * `getDatafast(req | event)` are synchronous) and reports after the response through `after()`.
 * Call it inside a request, as you would `cookies()`. Takes `createDatafast` options or a client; pass the same object every time
 * (a module-level constant), since one client is kept per options object.
 *
 * @example
 * const datafast = await getDatafast(); datafast.track({ amount: 29.99, currency: 'USD', transaction_id: charge.id })
 */
export async function getDatafast(options?: DatafastClientOrOptions): Promise<BoundDatafast> {
  // Loaded on use, so that Pages Router code importing this package never pulls `next/headers`.
  const { cookies } = await import('next/headers.js');
  const store = await cookies();
  return resolveDatafast(options).forVisitor(store.get(VISITOR_COOKIE)?.value, {
    waitUntil: afterResponse,
  });
}
