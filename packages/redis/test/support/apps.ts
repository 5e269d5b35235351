import { fileURLToPath } from 'node:url';
import { type RunningApp, startApp } from '@datafast-checkout/testing';

const packageDir = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Starts fixtures/checkout-app.mjs (Express with the Redis outbox) as the leader of a process
 * group of its own, so that `process.kill(-pid, 'SIGKILL')` crashes it as a supervisor would.
 */
export function startCheckoutApp(env: {
  REDIS_URL: string;
  DATAFAST_BASE_URL: string;
  DATAFAST_API_KEY: string;
}): Promise<RunningApp> {
  return startApp({
    command: process.execPath,
    args: ['test/fixtures/checkout-app.mjs'],
    cwd: packageDir,
    env,
    processGroup: true,
  });
}

/** The transaction ids the app printed as given up (`onError <id> <code>`). */
export function givenUp(app: RunningApp): string[] {
  return [...app.output().matchAll(/^onError (\S+) /gm)].map((match) => match[1] as string);
}

/**
 * Pays through `apps` round-robin: `POST /api/checkout` for each id, `concurrency` at a time;
 * rejects on any answer but 200 (the checkout must never fail because of reporting).
 */
export async function checkouts(
  apps: RunningApp[],
  ids: string[],
  concurrency = 20,
): Promise<void> {
  let next = 0;
  async function worker() {
    while (next < ids.length) {
      const i = next++;
      const app = apps[i % apps.length] as RunningApp;
      const response = await fetch(`${app.url}/api/checkout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: ids[i], amount: 10 + (i % 50) }),
      });
      if (response.status !== 200) throw new Error(`checkout ${ids[i]}: HTTP ${response.status}`);
      await response.arrayBuffer();
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
}
