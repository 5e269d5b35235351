// Row 7: what the same-origin tracker proxy adds to each tracker event on loopback. The same
// pageview, one at a time, POSTed to the devserver's /api/events directly, through an Express app
// running `datafastProxy()` (pinned to the server core), and through a hand-written forwarding
// route in the same app (what the DataFast docs' Express snippet does), in interleaved rounds; the
// script is fetched directly and through the proxy (which serves it from its cache). The extra
// hop crosses cores here, so the added time is mostly the loopback round trip, not our code.
import { fileURLToPath } from 'node:url';
import { cores, freePort, startPinned, untilAnswers } from '../lib/processes.mjs';
import { interleaved, median, percentile } from '../lib/stats.mjs';
import { duration, row } from '../lib/table.mjs';

const app = fileURLToPath(new URL('../apps/proxy.mjs', import.meta.url));
const perRound = 300;
const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';

export async function proxyRows({ rounds, devserver }) {
  const port = await freePort();
  const proxied = `http://127.0.0.1:${port}`;
  const server = await startPinned('proxy app', cores.server, 'node', [app], {
    env: { PORT: String(port), DATAFAST_BASE_URL: devserver.url },
    ready: () => untilAnswers(`${proxied}/health`),
  });
  const body = JSON.stringify({
    type: 'pageview',
    href: 'https://shop.example/?utm_source=newsletter',
    visitorId: visitor,
  });
  const timeOne = async (url, init) => {
    const start = performance.now();
    const response = await fetch(url, init);
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    return performance.now() - start;
  };
  const event = { method: 'POST', headers: { 'content-type': 'text/plain' }, body };
  const origins = { direct: devserver.url, proxy: proxied, byHand: `${proxied}/by-hand` };
  try {
    // Warm every path (connections, the proxy's script cache, JIT) before measuring.
    for (const origin of Object.values(origins)) {
      for (let i = 0; i < 50; i++) await timeOne(`${origin}/api/events`, event);
    }
    await timeOne(`${proxied}/js/script.js`);
    // The app process's CPU over each block is that variant's alone: nothing else runs in it.
    const cpuPerEvent = { proxy: [], byHand: [] };
    const events = await interleaved(rounds, ['direct', 'proxy', 'byHand'], async (variant) => {
      const times = [];
      const cpuBefore = server.cpuMs();
      for (let i = 0; i < perRound; i++) {
        times.push(await timeOne(`${origins[variant]}/api/events`, event));
      }
      if (variant !== 'direct') cpuPerEvent[variant].push((server.cpuMs() - cpuBefore) / perRound);
      return times;
    });
    const scripts = await interleaved(rounds, ['direct', 'proxy'], async (variant) => {
      const times = [];
      for (let i = 0; i < perRound; i++)
        times.push(await timeOne(`${origins[variant]}/js/script.js`));
      return times;
    });
    await devserver.reset();
    const added = (runs, p, base = 'direct') =>
      runs.proxy.map((times, i) => percentile(times, p) - percentile(runs[base][i], p));
    const at = (runs, variant, p) => duration(median(runs[variant].map((t) => percentile(t, p))));
    return [
      row({
        id: '7a',
        title: 'tracker event through `datafastProxy()` (Express): added time per event, p50',
        baseline: `${at(events, 'direct', 50)} direct to DataFast`,
        measured: at(events, 'proxy', 50),
        ratios: added(events, 50),
        unit: 'ms',
        goal: 'none set: the figure is the point',
      }),
      row({
        id: '7b',
        title: 'tracker event through the proxy: added time per event, p99',
        baseline: `${at(events, 'direct', 99)} direct`,
        measured: at(events, 'proxy', 99),
        ratios: added(events, 99),
        unit: 'ms',
        goal: 'none set',
      }),
      row({
        id: '7c',
        title: '`datafastProxy()` vs forwarding by hand in the same app (docs snippet): time, p50',
        baseline: `${at(events, 'byHand', 50)} by hand`,
        measured: at(events, 'proxy', 50),
        ratios: events.proxy.map((t, i) => percentile(t, 50) / percentile(events.byHand[i], 50)),
        unit: 'x',
        goal: 'none set: for scale',
      }),
      row({
        id: '7c′',
        title: '`datafastProxy()` vs forwarding by hand: app CPU per event',
        baseline: `${duration(median(cpuPerEvent.byHand))} by hand`,
        measured: duration(median(cpuPerEvent.proxy)),
        ratios: cpuPerEvent.proxy.map((cpu, i) => cpu / cpuPerEvent.byHand[i]),
        unit: 'x',
        goal: '≤ 1.1x the hand-written forwarder',
        met: (median) => median <= 1.1,
      }),
      row({
        id: '7d',
        title: 'tracking script through the proxy (its cache) vs from DataFast, p50',
        baseline: `${at(scripts, 'direct', 50)} direct`,
        measured: at(scripts, 'proxy', 50),
        ratios: added(scripts, 50),
        unit: 'ms',
        goal: 'none set',
      }),
    ];
  } finally {
    await server.stop();
  }
}
