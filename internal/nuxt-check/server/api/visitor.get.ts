// `getDatafast` is auto-imported by the module in server code: no import line.
export default defineEventHandler((event) => ({
  visitorId: getDatafast(event).visitorId ?? null,
  same: getDatafast(event) === event.context.datafast,
}));
