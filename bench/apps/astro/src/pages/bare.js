// Row 1: the bare request, no reporting anywhere in the route (no middleware of ours either).
export const GET = () => new Response('ok');
