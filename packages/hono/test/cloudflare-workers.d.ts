// The Worker's env, as workers.test.ts binds it (Wrangler generates this from wrangler.toml).
declare module 'cloudflare:workers' {
  export const env: { DATAFAST_API_KEY: string; DATAFAST_BASE_URL: string };
}
