// What a documentation snippet takes from the app around it, declared here, once per snippet,
// and reviewed like code: an `app` the snippet mounts on, the charge a checkout route has, a
// visitor's request. Everything else a snippet uses it must import itself. A context matches one
// block of one document (by a line that only that block has); the test fails when a context
// matches none, so none outlives its snippet.
//
// Preambles are real code wherever it can run (the runnable blocks run with them), and `declare`
// with the precise type where it cannot. Never `any`.

/** The names one block takes from its surroundings. */
export interface BlockContext {
  /** The document, relative to the repository's root. */
  file: string;
  /** A line (or part of one) that only this block of the document has. */
  block: string;
  /** Code put before the block, in the block's language. */
  preamble: string;
}

const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';

/** A checkout request from a visitor the tracker has seen (JS and TS alike). */
const visitorRequest = `const request = new Request('https://shop.example/api/checkout', {
  headers: { cookie: 'datafast_visitor_id=${visitor}' },
});`;

/** The README quickstarts' payment processor: "your payment processor", charging nothing. */
const chargeCustomerJs =
  'const chargeCustomer = async ({ amount, currency, id }) => ({ id, amount, currency });';
const chargeCustomerTs =
  'declare function chargeCustomer(order: unknown): Promise<{ id: string; amount: number; currency: string }>;';

/** An Express app, as the snippets of the Express README mount on one. */
const expressApp = "import express from 'express';\nconst app = express();";

export const contexts: BlockContext[] = [
  // The root README: the awaited call continues the quickstart above it.
  {
    file: 'README.md',
    block: 'await datafast.payments.create({',
    preamble: `import { createDatafast, getVisitorId } from '@datafast-checkout/core';
const datafast = createDatafast();
${visitorRequest}`,
  },

  // packages/core
  {
    file: 'packages/core/README.md',
    block: 'const datafast = createDatafast(); // DATAFAST_API_KEY from the environment',
    preamble: `const charge = { id: 'ch_readme_core_track' };\n${visitorRequest}`,
  },
  {
    file: 'packages/core/README.md',
    block: 'transaction_id: refund.id, refunded: true',
    preamble: `import { createDatafast } from '@datafast-checkout/core';
const datafast = createDatafast();
const refund = { id: 're_readme_core' };
const invoice = { id: 'in_readme_core' };
const subscription = { id: 'sub_readme_core' };
const customer_id = 'cus_readme_core';
const email = 'ada@example.com';`,
  },
  // The Express drain route: the app, and the shared outbox its README names in a comment.
  {
    file: 'packages/express/README.md',
    block: "app.post('/cron/datafast-drain'",
    preamble: `${expressApp}
import type { SharedOutbox } from '@datafast-checkout/express';
declare const outbox: SharedOutbox;`,
  },

  // packages/devserver: a test file of the user's, with vitest.
  {
    file: 'packages/devserver/README.md',
    block: 'const datafast = createDatafast({ apiKey: dev.apiKey, baseUrl: dev.url });',
    preamble:
      "import { createDatafast } from '@datafast-checkout/core';\nimport { expect } from 'vitest';",
  },

  // packages/fastify: the quickstart's payment processor.
  {
    file: 'packages/fastify/README.md',
    block: "request.datafast.track({ amount: 29.99, currency: 'USD', transaction_id: charge.id });",
    // A route's request (request.datafast comes from the package's FastifyRequest augmentation).
    preamble: `/** @type {import('fastify').FastifyRequest} */
const request = /** @type {any} */ (undefined);
const charge = { id: 'ch_readme_fastify' };
import '@datafast-checkout/fastify';`,
  },

  // The Fastify drain route: the app, and the shared outbox its README names in a comment.
  {
    file: 'packages/fastify/README.md',
    block: "app.post('/cron/datafast-drain'",
    preamble: `import Fastify from 'fastify';
const app = Fastify();
import type { SharedOutbox } from '@datafast-checkout/fastify';
declare const outbox: SharedOutbox;`,
  },

  // packages/express: the app of the quickstart, which the later snippets extend.
  {
    file: 'packages/express/README.md',
    block: '// Reported in the background: the route never waits for DataFast.',
    preamble: chargeCustomerJs,
  },
  {
    file: 'packages/express/README.md',
    block: "const { datafast } = require('@datafast-checkout/express');",
    preamble: chargeCustomerJs,
  },
  {
    file: 'packages/express/README.md',
    block: 'getDatafast(req, datafastMiddleware).track({',
    preamble: `${expressApp}\n${chargeCustomerJs}`,
  },
  {
    file: 'packages/express/README.md',
    block: 'app.use(datafast(existingClient));',
    preamble: `import { createDatafast, datafast } from '@datafast-checkout/express';
${expressApp}
const existingClient = createDatafast();`,
  },
  {
    file: 'packages/express/README.md',
    block: '// Right: one middleware, made once, at start-up.',
    preamble: `import { datafast } from '@datafast-checkout/express';\n${expressApp}`,
  },
  {
    file: 'packages/express/README.md',
    block: 'app.use(datafast({ waitUntil }));',
    preamble: `import { datafast } from '@datafast-checkout/express';\n${expressApp}`,
  },
  {
    file: 'packages/express/README.md',
    block: 'flushOnShutdown(datafastMiddleware, { timeoutMs: 5000 });',
    preamble: expressApp,
  },
  {
    file: 'packages/express/README.md',
    block: 'await datafastMiddleware.client.shutdown(5000);',
    preamble:
      "import { datafast } from '@datafast-checkout/express';\nconst datafastMiddleware = datafast();",
  },
  {
    file: 'packages/express/README.md',
    block: 'app.use(datafastProxy());',
    preamble: expressApp,
  },
  {
    file: 'packages/express/README.md',
    block:
      "app.post('/api/webhooks/stripe', express.raw({ type: 'application/json' }), stripeWebhook);",
    preamble: `import { datafast } from '@datafast-checkout/express';
import { toExpress } from '@datafast-checkout/payment-links';
import { stripeWebhook as stripe } from '@datafast-checkout/payment-links/stripe';
${expressApp}
const stripeWebhook = toExpress(stripe());`,
  },

  // packages/next: "your payment processor".
  {
    file: 'packages/next/README.md',
    block: 'export const POST = withDatafast(async (request, { datafast }) => {',
    preamble: chargeCustomerTs,
  },
  {
    file: 'packages/next/README.md',
    block: 'const charge = await chargeCustomer(form);',
    preamble: chargeCustomerTs,
  },
  {
    file: 'packages/next/README.md',
    block: 'export default withDatafastApi(async (req, res, datafast) => {',
    preamble: chargeCustomerTs,
  },

  // packages/sveltekit: a route handler's body, and a hooks file's own handles.
  {
    file: 'packages/sveltekit/README.md',
    block: "locals.datafast.track({ amount: 29.99, currency: 'USD', transaction_id: charge.id });",
    preamble: 'declare const locals: App.Locals;\ndeclare const charge: { id: string };',
  },
  {
    file: 'packages/sveltekit/README.md',
    block: 'export const handle = sequence(datafast(), authHandle, securityHeaders);',
    preamble: `import type { Handle } from '@sveltejs/kit';
declare const authHandle: Handle;
declare const securityHeaders: Handle;`,
  },

  // packages/hono: a route's body.
  {
    file: 'packages/hono/README.md',
    block:
      "c.get('datafast').track({ amount: 29.99, currency: 'USD', transaction_id: charge.id });",
    preamble: `import type { DatafastVariables } from '@datafast-checkout/hono';
import type { Context } from 'hono';
declare const c: Context<{ Variables: DatafastVariables }>;
declare const charge: { id: string };`,
  },

  // packages/astro: an endpoint's body.
  {
    file: 'packages/astro/README.md',
    block: "locals.datafast.track({ amount: 29.99, currency: 'USD', transaction_id: charge.id });",
    preamble: `import type { APIContext } from 'astro';
declare const locals: APIContext['locals'];
declare const charge: { id: string };`,
  },
  // packages/nuxt: nuxt.config.ts, whose defineNuxtConfig Nuxt provides as a global.
  {
    file: 'packages/nuxt/README.md',
    block: "modules: ['@datafast-checkout/nuxt'], // reads DATAFAST_API_KEY from the environment",
    preamble: "import { defineNuxtConfig } from 'nuxt/config';",
  },
  // packages/nuxt: a server route's body, typed through the package's H3EventContext augmentation.
  {
    file: 'packages/nuxt/README.md',
    block:
      "event.context.datafast.track({ amount: 29.99, currency: 'USD', transaction_id: charge.id });",
    preamble: `import type {} from '@datafast-checkout/nuxt/server';
import type { H3Event } from 'h3';
declare const event: H3Event;
declare const charge: { id: string };`,
  },
  // packages/nuxt: the drain route, and the shared outbox its comment names.
  {
    file: 'packages/nuxt/README.md',
    block: 'const client = createDatafast({ outbox });',
    preamble: `import type { SharedOutbox } from '@datafast-checkout/nuxt/server';
declare const outbox: SharedOutbox;`,
  },

  // examples/express-checkout: the router of stripe.js, which the snippet adds a route to.
  {
    file: 'examples/express-checkout/README.md',
    block: "'/api/webhooks/polar',",
    preamble: `import { toExpress } from '@datafast-checkout/payment-links';
import express from 'express';
const router = express.Router();`,
  },

  // examples/fastify-app: the Stripe plugin's context (stripeRoutes(app) in stripe.js), which the
  // snippet adds a route to.
  {
    file: 'examples/fastify-app/README.md',
    block: "app.post('/api/webhooks/polar',",
    preamble: `import Fastify from 'fastify';
const app = Fastify();`,
  },

  // examples/hono-app: the routes of stripe.js, which the snippet adds a route to.
  {
    file: 'examples/hono-app/README.md',
    block: "routes.post('/api/webhooks/polar'",
    preamble: `import { Hono } from 'hono';
const routes = new Hono();`,
  },
];

/**
 * Modules a snippet imports that are not installed here, with their published types: generated
 * by a framework, or newer than this repository's Node.js types. Written as one ambient file.
 */
export const ambientModules = `
// SvelteKit generates it from the environment: every variable a string or undefined.
declare module '$env/dynamic/private' {
  export const env: Record<string, string | undefined>;
}

// A Cloudflare Worker's env, as Wrangler types it from the Worker's bindings (wrangler types).
declare module 'cloudflare:workers' {
  export const env: { DATAFAST_API_KEY: string };
}

// Astro's virtual module, as astro/client.d.ts declares it (an Astro project's env.d.ts
// references those types; a snippet has no project around it).
declare module 'astro:middleware' {
  export * from 'astro/virtual-modules/middleware.js';
}

// @vercel/functions: waitUntil(promise), as its README documents it.
declare module '@vercel/functions' {
  export function waitUntil(promise: Promise<unknown>): void;
}

// node:sqlite (Node 22.5+), as @types/node 22 types the part the core README uses; this
// repository's @types/node is 20's.
// The SvelteKit README's own module holding the app's one client.
declare module '$lib/server/datafast' {
  export const client: import('@datafast-checkout/sveltekit').Datafast;
}

declare module 'node:sqlite' {
  type SQLInputValue = null | number | bigint | string | Uint8Array;
  type SQLOutputValue = null | number | bigint | string | Uint8Array;
  export class StatementSync {
    run(...parameters: SQLInputValue[]): { changes: number | bigint; lastInsertRowid: number | bigint };
    all(...parameters: SQLInputValue[]): Record<string, SQLOutputValue>[];
  }
  export class DatabaseSync {
    constructor(path: string);
    exec(sql: string): void;
    prepare(sql: string): StatementSync;
  }
}
`;

/**
 * SvelteKit's generated `./$types` for a snippet that is a route file (`+server.ts`,
 * `+page.server.ts`): the route's handler types, for a route without parameters.
 */
export const svelteKitRouteTypes = `import type * as Kit from '@sveltejs/kit';
export type RequestHandler = Kit.RequestHandler<Record<string, never>>;
export type PageServerLoad = Kit.ServerLoad<Record<string, never>>;
`;
