// Row 1's yardstick: our middleware has run and the route reads the visitor, as /cookies does.
export const GET = ({ locals }) => new Response(locals.datafast.visitorId ?? '');
