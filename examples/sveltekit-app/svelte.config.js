import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  // adapter-node: `node build` serves the app and reads PORT, HOST and ORIGIN at start-up.
  kit: { adapter: adapter() },
};

export default config;
