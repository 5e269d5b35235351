/** POST { transaction_id, datafast_visitor_id? } -> 200, reported in the background. */
export default defineEventHandler(async (event) => {
  const { transaction_id, datafast_visitor_id } = await readBody(event);
  event.context.datafast.track({
    amount: 29.99,
    currency: 'USD',
    transaction_id,
    datafast_visitor_id,
  });
  // What Nitro collected through event.waitUntil for this request (its own bookkeeping on Node,
  // which also hands each promise to the platform's waitUntil where there is one).
  const handedToWaitUntil = event.context.nitro?._waitUntilPromises?.length ?? 0;
  return { transaction_id, visitorId: event.context.datafast.visitorId ?? null, handedToWaitUntil };
});
