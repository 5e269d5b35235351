import node from '@astrojs/node';
import { defineConfig } from 'astro/config';

// Every route is rendered on demand (checkout, webhooks, the success page), by @astrojs/node's
// standalone server: `npm run build` writes it to dist/, `npm run start` runs it.
export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  server: {
    // `astro dev` and the built server listen on PORT (3000 unless set: where the devserver's
    // Stripe stand-in sends its webhooks). The built server reads PORT and HOST again at start.
    port: Number(process.env.PORT ?? 3000),
    // Every interface, as a server in a container must (the built server's default would be
    // localhost only); HOST=127.0.0.1 at start keeps it local.
    host: true,
  },
});
