/** A framework the creator writes a starter for, from one of the repository's examples. */
export interface Template {
  id: 'express' | 'next' | 'sveltekit' | 'hono' | 'fastify' | 'nuxt' | 'astro';
  label: string;
  hint: string;
  /** The example folder (under `examples/`) it is built from. */
  example: string;
  /** What `npm run dev` serves, for the closing message. */
  devUrl: string;
}

/** How the starter's payments come in, beside its direct checkout. */
export interface PaymentPath {
  id: 'direct' | 'stripe';
  label: string;
  hint: string;
  /** How the closing message names it: "Created my-shop: Express, with …". */
  summary: string;
  /**
   * What only this path needs, removed from every other path's project: the `#region <id>`
   * blocks, these dependencies, and these files or folders of each template.
   */
  packages: string[];
  files: Record<Template['id'], string[]>;
}

/** The templates, in the order the prompt offers them; the first is the default. */
export const TEMPLATES: readonly Template[] = [
  {
    id: 'express',
    label: 'Express',
    hint: 'a Node.js server and a plain HTML page',
    example: 'express-checkout',
    devUrl: 'http://localhost:3000',
  },
  {
    id: 'next',
    label: 'Next.js',
    hint: 'App Router, a Server Action, an Edge route, the Pages Router',
    example: 'next-app',
    devUrl: 'http://localhost:3000',
  },
  {
    id: 'sveltekit',
    label: 'SvelteKit',
    hint: 'adapter-node, an API route and a form action',
    example: 'sveltekit-app',
    devUrl: 'http://localhost:3000',
  },
  {
    id: 'hono',
    label: 'Hono',
    hint: 'on Node with @hono/node-server, a plain HTML page',
    example: 'hono-app',
    devUrl: 'http://localhost:3000',
  },
  {
    id: 'fastify',
    label: 'Fastify',
    hint: 'a Node.js server with a Fastify plugin and a plain HTML page',
    example: 'fastify-app',
    devUrl: 'http://localhost:3000',
  },
  {
    id: 'nuxt',
    label: 'Nuxt',
    hint: 'Nuxt 4 (Node 22+): the module, Nitro server routes and a Vue page',
    example: 'nuxt-app',
    devUrl: 'http://localhost:3000',
  },
  {
    id: 'astro',
    label: 'Astro',
    hint: 'Astro 7 (Node 22.23.4+): @astrojs/node, middleware and API endpoints',
    example: 'astro-app',
    devUrl: 'http://localhost:3000',
  },
];

/** The payment paths, in the order the prompt offers them; the first is the default. */
export const PAYMENTS: readonly PaymentPath[] = [
  {
    id: 'direct',
    label: 'Direct checkout',
    hint: 'your server charges the customer and reports each payment',
    summary: 'a direct checkout',
    packages: [],
    files: { express: [], next: [], sveltekit: [], hono: [], fastify: [], nuxt: [], astro: [] },
  },
  {
    id: 'stripe',
    label: 'Stripe payment link and Checkout, with the webhook',
    hint: 'a buy.stripe.com link, a Checkout Session, the signed webhook and the success page, beside the checkout',
    summary: 'a direct checkout, a Stripe payment link and Checkout with the webhook',
    packages: ['stripe', '@datafast-checkout/payment-links'],
    files: {
      express: [
        'devserver.config.json',
        'stripe.js',
        'test/stripe.test.ts',
        'test/attribution.e2e.test.ts',
      ],
      next: [
        'devserver.config.json',
        'app/api/webhooks/stripe',
        'app/checkout',
        'app/success',
        'app/payment-link.tsx',
        'lib/stripe.ts',
        'test/stripe.test.ts',
        'test/attribution.e2e.test.ts',
      ],
      sveltekit: [
        'devserver.config.json',
        'src/routes/api/webhooks',
        'src/routes/checkout',
        'src/routes/success',
        'src/routes/+page.server.ts',
        'src/lib/server/stripe.ts',
        'test/stripe.test.ts',
        'test/attribution.e2e.test.ts',
      ],
      hono: [
        'devserver.config.json',
        'stripe.js',
        'test/stripe.test.ts',
        'test/attribution.e2e.test.ts',
      ],
      fastify: [
        'devserver.config.json',
        'stripe.js',
        'test/stripe.test.ts',
        'test/attribution.e2e.test.ts',
      ],
      nuxt: [
        'devserver.config.json',
        'server/api/webhooks',
        'server/routes/checkout',
        'server/routes/success.get.ts',
        'server/utils/stripe.ts',
        'test/stripe.test.ts',
        'test/attribution.e2e.test.ts',
      ],
      astro: [
        'devserver.config.json',
        'src/pages/api/webhooks',
        'src/pages/checkout',
        'src/pages/success.astro',
        'src/lib/stripe.ts',
        'test/stripe.test.ts',
        'test/attribution.e2e.test.ts',
      ],
    },
  },
];

/** Regions only the repository's copy of an example has (how to start from it). */
export const REPOSITORY_ONLY_REGION = 'repo-only';
