import cookie11 from '@fastify/cookie';
import cookie9 from '@fastify/cookie-v9';
import fastify5 from 'fastify';
import fastify4 from 'fastify4';

export const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';
export const otherVisitor = '5b6c7d8e-1f2a-4b3c-9d4e-5f6a7b8c9d0e';

/** Fastify 4 and 5 are driven through the same calls; the alias `fastify4` is Fastify 4.29. */
export type FastifyFactory = typeof fastify5;

/** Every test runs on each supported major, with the @fastify/cookie major made for it. */
export const majors = [
  { name: 'Fastify 5', fastify: fastify5, cookie: cookie11 as unknown },
  { name: 'Fastify 4', fastify: fastify4 as unknown as FastifyFactory, cookie: cookie9 as unknown },
];

/** Listens on a free port of 127.0.0.1 and returns the app's origin. */
export async function listen(app: ReturnType<FastifyFactory>): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address() as { port: number };
  return `http://127.0.0.1:${address.port}`;
}

/** POSTs a payment as the browser would: JSON body, optional `Cookie` header. */
export function checkout(
  url: string,
  payment: Record<string, unknown>,
  cookie?: string,
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(payment),
  });
}
