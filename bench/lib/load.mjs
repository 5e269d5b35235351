// An open-loop load generator for latency: requests start at a fixed rate whatever the answers
// do (as checkouts arrive from customers), each timed from its start to the end of its answer.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * Sends `rate` requests per second for `seconds` to `url` and resolves their latencies (ms).
 * A request that fails or answers other than 2xx rejects the run: a latency of an error page
 * would not be a checkout's latency.
 */
export async function fixedRate(url, { rate, seconds, method = 'POST', headers = {}, body }) {
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const target = new URL(url);
  const count = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const latencies = [];
  const inFlight = [];
  const start = performance.now();
  try {
    for (let i = 0; i < count; i++) {
      const wait = start + i * interval - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      inFlight.push(once(agent, target, method, headers, body).then((ms) => latencies.push(ms)));
    }
    await Promise.all(inFlight);
  } finally {
    agent.destroy();
  }
  return latencies;
}

function once(agent, target, method, headers, body) {
  return new Promise((resolve, reject) => {
    const began = performance.now();
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method,
        headers: body ? { ...headers, 'content-length': Buffer.byteLength(body) } : headers,
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode >= 200 && res.statusCode < 300) resolve(performance.now() - began);
          else reject(new Error(`${method} ${target.pathname} answered ${res.statusCode}`));
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
