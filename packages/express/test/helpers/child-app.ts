import { dirname } from 'node:path';
import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import { type RunningApp, startApp } from '@datafast-checkout/testing';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

/**
 * The set-up of a suite that runs apps as child processes (`node <file>`) against a devserver:
 * one devserver per file, reset before each test (payments, request log, faults), and the app of
 * each test killed after it. `start` configures the app with the devserver's URL and key.
 *
 * @example
 * const suite = childAppSuite(); const { url } = await suite.start(file, { FLUSH_TIMEOUT_MS: '300' })
 */
export function childAppSuite() {
  let dev: DevServer | undefined;
  let app: RunningApp | undefined;
  beforeAll(async () => {
    dev = await startDevServer();
  });
  afterAll(() => dev?.close());
  beforeEach(() => dev?.reset());
  afterEach(async () => {
    await app?.stop('SIGKILL');
    app = undefined;
  });

  const devServer = (): DevServer => {
    if (!dev) throw new Error('the devserver starts in beforeAll');
    return dev;
  };
  return {
    get dev(): DevServer {
      return devServer();
    },
    /** Starts `node file` (cwd: its folder) and resolves once it answers HTTP. */
    async start(file: string, env: Record<string, string> = {}): Promise<RunningApp> {
      const { apiKey, url } = devServer();
      app = await startApp({
        command: process.execPath,
        args: [file],
        cwd: dirname(file),
        env: { DATAFAST_API_KEY: apiKey, DATAFAST_BASE_URL: url, ...env },
      });
      return app;
    },
  };
}
