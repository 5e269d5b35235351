import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [sveltekit()],
  // `npm run dev` listens on PORT (the devserver sets 3000 when it is unset), where the
  // devserver's Stripe stand-in sends its webhooks: a busy port is an error, not another port.
  server: process.env.PORT ? { port: Number(process.env.PORT), strictPort: true } : {},
});
