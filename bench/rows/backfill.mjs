// Row 9: `@datafast-checkout/backfill` against a hand-written loop, both listing the same Stripe
// account (a Stripe stand-in on the client core, beside the devserver) page by page and
// reporting each page's payments 8 at a time to the healthy devserver. Measured in
// backfill-child.mjs, pinned to the server core.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { checkoutSession, startStripeStandIn } from '@datafast-checkout/devserver/testing';
import { visitorId } from '../lib/fixtures.mjs';
import { cores } from '../lib/processes.mjs';
import { median } from '../lib/stats.mjs';
import { row } from '../lib/table.mjs';

const child = fileURLToPath(new URL('backfill-child.mjs', import.meta.url));
/** Payments in the stand-in's account: each variant reports all of them in each round. */
const payments = 2_000;
/** The account's payments are a minute apart from 2026-03-01. */
const since = Date.UTC(2026, 2, 1) / 1000;

export async function backfillRows({ rounds, devserver }) {
  const standIn = await startStripeStandIn();
  try {
    for (let i = 0; i < payments; i++) {
      standIn.put(checkoutSession({ created: since + i * 60, client_reference_id: visitorId }));
    }
    // Asynchronous: the stand-in answers from this process while the child runs.
    const { stdout } = await promisify(execFile)(
      'taskset',
      [
        '-c',
        String(cores.server),
        'node',
        child,
        devserver.url,
        devserver.apiKey,
        standIn.url,
        String(rounds),
        String(payments),
      ],
      { encoding: 'utf8', timeout: 600_000, maxBuffer: 1 << 20 },
    );
    const runs = JSON.parse(stdout);
    const perSecond = (run) => (payments * 1000) / run.wallMs;
    return [
      row({
        id: '9a',
        title: `\`backfill\` (Stripe, the webhook's mapping, concurrency 8): payments listed and reported per second (${payments.toLocaleString('en')} per round, ${rounds} rounds) vs a hand-written list-and-POST loop (concurrency 8)`,
        baseline: `${median(runs.handLoop.map(perSecond)).toFixed(0)}/s`,
        measured: `${median(runs.backfill.map(perSecond)).toFixed(0)}/s`,
        ratios: runs.backfill.map((run, i) => perSecond(run) / perSecond(runs.handLoop[i])),
        unit: 'x',
        goal: '≥ 0.9x',
        met: (ratio) => ratio >= 0.9,
      }),
    ];
  } finally {
    await standIn.close();
  }
}
