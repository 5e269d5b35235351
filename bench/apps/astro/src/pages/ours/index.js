// Row 1: our middleware has run; the route never reports (what every other request pays).
export const GET = () => new Response('ok');
