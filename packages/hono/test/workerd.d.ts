// The `workerd` package ships no types: its main module exports the binary's path.
declare module 'workerd' {
  /** The path of the workerd binary for this platform. */
  const binaryPath: string;
  export default binaryPath;
  /** The newest compatibility date this binary supports. */
  export const compatibilityDate: string;
  export const version: string;
}

// The Worker's env, as workers.test.ts binds it (Wrangler generates this from wrangler.toml).
declare module 'cloudflare:workers' {
  export const env: { DATAFAST_API_KEY: string; DATAFAST_BASE_URL: string };
}
