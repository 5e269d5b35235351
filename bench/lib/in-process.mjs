// Row 1's in-process measurement, shared by middleware-inprocess.mjs (the bench's Node) and
// astro-inprocess.mjs (Astro's app on Node 22): CPU ns per call of each variant, per round.
import { ServerResponse } from 'node:http';
import { interleaved } from './stats.mjs';

const chunks = 10;
const chunk = 1_000;

/**
 * This process's CPU time in ms (user + system, its GC threads included). CPU time, not wall
 * time: the bare requests it is divided by are CPU time too, and on a shared machine a chunk's
 * wall time holds whatever ran on the core meanwhile (under a load average of 15 on two cores,
 * the rounds of one call varied up to 7x in wall time, up to 1.6x in CPU time).
 */
function cpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * CPU ns per call of `[make, call]`, over `chunks` chunks of `chunk` calls. Each chunk's inputs
 * are made before its clock starts, a thousand at a time: a few thousand live requests would
 * make every scavenge copy them, a cost that the variants that allocate would pay and no server
 * has. Keeps the fastest chunk per call (another process on the core only ever adds time, to
 * CPU time too: caches and the core's sibling are shared).
 */
async function measure([make, call]) {
  let best = Number.POSITIVE_INFINITY;
  for (let c = 0; c < chunks; c++) {
    const inputs = Array.from({ length: chunk }, make);
    const results = new Array(chunk);
    const start = cpuMs();
    for (let i = 0; i < chunk; i++) results[i] = call(inputs[i]);
    // Handles and route handlers answer promises: settled inside the timed span, as a server would.
    await Promise.all(results);
    best = Math.min(best, ((cpuMs() - start) * 1e6) / chunk);
  }
  return best;
}

/**
 * Measures the variants `names` (keys of `variants`, each `[make, call]`) in `rounds`
 * interleaved rounds, after a warm-up that compiles every path, and prints one JSON line: CPU ns
 * per call of each variant in each round.
 */
export async function printCallCosts(variants, rounds, names) {
  for (const name of names) await measure(variants[name]);
  const results = await interleaved(rounds, names, (name) => measure(variants[name]));
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

/**
 * A socketless ServerResponse that says when it ended: a Node request handler's whole answer,
 * with no socket to write it to.
 */
export class EndedResponse extends ServerResponse {
  end(...args) {
    const result = super.end(...args);
    this.ended();
    return result;
  }
}

/** `{ req, res, ended }` for a Node request handler: `ended` resolves when it has answered. */
export function nodeExchange(req) {
  const res = new EndedResponse(req);
  const ended = new Promise((resolve) => {
    res.ended = resolve;
  });
  return { req, res, ended };
}
