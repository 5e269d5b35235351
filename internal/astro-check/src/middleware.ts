import { defineMiddleware, sequence } from 'astro:middleware';
import { datafast, datafastProxy, flushOnShutdown } from '@datafast-checkout/astro';

// What a user's src/middleware.ts does: the tracker proxy first, then the request-bound client,
// then middleware of the app's own.
const poweredBy = defineMiddleware(async (_context, next) => {
  const response = await next();
  response.headers.set('x-powered-by', 'astro7');
  return response;
});

// Stands in for @astrojs/cloudflare, whose request handler puts the Worker's ExecutionContext on
// `locals.cfContext` (dist/utils/cf-helpers.js, createLocals): that adapter runs on workerd only,
// so this app (on @astrojs/node) gets the same shape under /api/cloudflare/*. Its waitUntil
// throws when called detached from its context, as Workers' does.
const cloudflareContext = defineMiddleware(async (context, next) => {
  if (!context.url.pathname.startsWith('/api/cloudflare/')) return next();
  const handed: Promise<unknown>[] = [];
  const cfContext = {
    waitUntil(this: unknown, promise: Promise<unknown>) {
      if (this !== cfContext) throw new TypeError('Illegal invocation');
      handed.push(promise);
    },
  };
  Object.assign(context.locals, { cfContext });
  const response = await next();
  await Promise.all(handed);
  response.headers.set('x-handed-to-wait-until', String(handed.length));
  return response;
});

const reporting = datafast();

// Requests under /api/unbound/ skip datafast(), as a request that a middleware ahead of it
// answered or rerouted would: their endpoints bind the visitor with getDatafast(context).
const reportingExceptUnbound = defineMiddleware((context, next) =>
  context.url.pathname.startsWith('/api/unbound/') ? next() : reporting(context, next),
);

// As the README says for @astrojs/node, which installs no SIGTERM handler: reports still in
// flight get up to 5 s, then the process ends by the signal.
flushOnShutdown(reporting);

export const onRequest = sequence(
  datafastProxy(),
  cloudflareContext,
  reportingExceptUnbound,
  poweredBy,
);
