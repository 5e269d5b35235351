import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import { type RunningApp, startExample } from '@datafast-checkout/devserver/testing';
import { example } from './example.js';

/** A devserver and the built example started against it with `next start`. */
export interface CheckoutApp {
  dev: DevServer;
  app: RunningApp;
  stop(): Promise<void>;
}

/**
 * Starts a devserver, then the already-built app (`pnpm build`, which turbo runs before `test`)
 * pointed at it, configured only through the example's documented environment variables (and
 * `env`). Each test file gets its own pair, so fault injection in one file never reaches another.
 */
export async function startCheckoutApp(env: Record<string, string> = {}): Promise<CheckoutApp> {
  const dev = await startDevServer();
  try {
    const app = await startExample(example, {
      env: {
        DATAFAST_API_KEY: dev.apiKey,
        DATAFAST_BASE_URL: dev.url,
        DATAFAST_SCRIPT_URL: undefined,
        // Core then logs where each delivery went (after() or its fallback queue).
        DATAFAST_DEBUG: '1',
        ...env,
      },
    });
    return {
      dev,
      app,
      async stop() {
        await app.stop();
        await dev.close();
      },
    };
  } catch (error) {
    await dev.close();
    throw error;
  }
}

/** A visitor id as DataFast's tracker makes them. */
export const visitorId = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';

/** POSTs a JSON body to the app, with an optional `Cookie` header. */
export function postJson(
  app: RunningApp,
  path: string,
  body: unknown,
  cookie?: string,
): Promise<Response> {
  return fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
