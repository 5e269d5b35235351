import { visitorIn } from '../fields.js';

/*
 * Paddle carries the visitor in custom data, never in a link: pass `checkoutMetadata(request)`
 * as `customData` to Paddle.js or the Node SDK (`custom_data` in the API), or, in the browser,
 * `{ datafast_visitor_id: readVisitorId() }` from `/browser`. Paddle copies a checkout's custom
 * data to the subscription it creates and the subscription's to every renewal transaction.
 * Paddle's hosted checkout links (`pay.paddle.io`) take no custom data parameter.
 */

/** The visitor in a transaction's `custom_data`, when it is a visitor UUID. */
export function visitorInPaddleCustomData(customData: unknown): string | undefined {
  return visitorIn([customData]);
}
