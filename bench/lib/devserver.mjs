// The devserver as its own process, pinned beside the load generator: the DataFast stand-in every
// row reports to, with its fault injection and control endpoints.
import { createRequire } from 'node:module';
import { apiKey } from './fixtures.mjs';
import { cores, freePort, startPinned, untilAnswers } from './processes.mjs';

const cli = createRequire(import.meta.url).resolve('@datafast-checkout/devserver/package.json');
const bin = new URL('bin/datafast-devserver.js', `file://${cli}`).pathname;

/** Starts a devserver on a free port: `{ url, apiKey, setFaults, reset, stats, stop }`. */
export async function startDevserver() {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const process = await startPinned(
    'devserver',
    cores.client,
    'node',
    [bin, '--port', String(port), '--api-key', apiKey, '--quiet'],
    { ready: () => untilAnswers(`${url}/__devserver/health`) },
  );
  const control = async (method, path, body) => {
    const response = await fetch(`${url}/__devserver/${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) throw new Error(`devserver ${method} ${path}: ${response.status}`);
    return response.json();
  };
  return {
    url,
    apiKey,
    env: { DATAFAST_BASE_URL: url, DATAFAST_API_KEY: apiKey },
    /** Replaces the fault settings (`{}` clears them). */
    setFaults: (faults) => control('PUT', 'faults', faults),
    /** Forgets payments, requests, counters and faults, so the next variant starts alike. */
    reset: () => control('POST', 'reset'),
    stats: () => control('GET', 'stats'),
    stop: () => process.stop(),
  };
}
