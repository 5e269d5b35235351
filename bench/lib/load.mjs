// An open-loop load generator for latency: requests start on a fixed schedule whatever the
// answers do (as checkouts arrive from customers), each timed from its start to the end of its
// answer. Several targets share one schedule, request by request in turn, so that whatever else
// the machine does in a given second falls on every target alike.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * Sends `rate` requests per second to each of `urls` (in turn) for `seconds`, and resolves the
 * latencies (ms) of each, by url. A request that fails or answers other than 2xx rejects the
 * run: the latency of an error page would not be a checkout's latency.
 */
export async function interleavedLoad(
  urls,
  { rate, seconds, method = 'POST', headers = {}, body },
) {
  const targets = urls.map((url) => ({
    url: new URL(url),
    agent: new Agent({ keepAlive: true, maxSockets: 512 }),
    latencies: [],
  }));
  const count = Math.round(rate * seconds) * targets.length;
  const interval = 1000 / (rate * targets.length);
  const inFlight = [];
  const start = performance.now();
  try {
    for (let i = 0; i < count; i++) {
      const wait = start + i * interval - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const target = targets[i % targets.length];
      inFlight.push(once(target, method, headers, body).then((ms) => target.latencies.push(ms)));
    }
    await Promise.all(inFlight);
  } finally {
    for (const target of targets) target.agent.destroy();
  }
  return targets.map((target) => target.latencies);
}

function once({ agent, url }, method, headers, body) {
  return new Promise((resolve, reject) => {
    const began = performance.now();
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method,
        headers: body ? { ...headers, 'content-length': Buffer.byteLength(body) } : headers,
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode >= 200 && res.statusCode < 300) resolve(performance.now() - began);
          else reject(new Error(`${method} ${url.pathname} answered ${res.statusCode}`));
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
