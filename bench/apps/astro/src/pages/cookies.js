// Row 1's yardstick: what a user would otherwise write, Astro's own cookie reader in the route.
export const GET = ({ cookies }) => new Response(cookies.get('datafast_visitor_id')?.value ?? '');
