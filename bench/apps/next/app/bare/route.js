// Row 1: the bare request, no reporting anywhere in the route.
export function GET() {
  return new Response('ok');
}
