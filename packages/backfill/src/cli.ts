#!/usr/bin/env node
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { type BackfillOptions, backfill } from './backfill.js';
import { BackfillConfigError, messageOf } from './errors.js';
import { progressOn } from './progress.js';
import { providerSource } from './providers/index.js';
import type { ProviderName } from './source.js';
import { type BackfillSummary, type FoundPayment, summaryLine } from './summary.js';
import { paymentTable } from './table.js';

const usage = `Usage: npx @datafast-checkout/backfill <stripe|lemonsqueezy|polar|paddle|creem|dodo> --since <date> [options]

Reports a provider's past payments, renewals and refunds to DataFast with the same transaction ids,
amounts and visitors as the webhook handlers of @datafast-checkout/payment-links: safe to run again.

Options:
  --since <date>       first moment to backfill (included), e.g. 2026-01-01
  --until <date>       end of the range (excluded); default now
  --dry-run            list and print what would be reported, with totals per currency; send nothing
  --yes                send without asking (required when no terminal is attached)
  --json               print one machine-readable summary on stdout
  --attributed-only    send only payments with a visitor
  --state <file>       resume file (default .datafast-backfill-<provider>.json); --no-state for none
  --concurrency <n>    events mapped and reported at once (default 8)
  --page-size <n>      objects per list page (default the provider's largest); smaller pages
                       save progress more often
  -h, --help           this help

Environment: the provider's key (STRIPE_SECRET_KEY, LEMONSQUEEZY_API_KEY, POLAR_ACCESS_TOKEN,
PADDLE_API_KEY, CREEM_API_KEY, DODO_PAYMENTS_API_KEY) and API base override (STRIPE_API_BASE, ...);
DATAFAST_API_KEY and DATAFAST_BASE_URL.
Exit codes: 0 all reported (or listed), 1 something failed or the run was interrupted (run it again
to resume), 2 bad arguments or configuration, 3 not confirmed.`;

/** Runs the CLI with `argv` (without node and the script); resolves the exit code. */
export async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (error) {
    process.stderr.write(`${messageOf(error)}\n\n${usage}\n`);
    return 2;
  }
  if (args.values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const [provider] = args.positionals;
  const { values } = args;
  if (!provider || !values.since) {
    process.stderr.write(`${provider ? '--since is required' : 'name a provider'}\n\n${usage}\n`);
    return 2;
  }
  const json = values.json === true;
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nstopping after the pages in flight (Ctrl-C again to quit now)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const source = providerSource(provider);
    const concurrency = count(values.concurrency, '--concurrency');
    const pageSize = count(values['page-size'], '--page-size');
    const base: BackfillOptions = {
      provider: source.name as ProviderName,
      since: values.since,
      until: values.until,
      attributedOnly: values['attributed-only'] === true,
      concurrency,
      pageSize,
      state: values['no-state'] ? false : values.state,
      signal: controller.signal,
    };

    if (values['dry-run'] || (!values.yes && interactive)) {
      const found: FoundPayment[] = [];
      const preview = await backfill({ ...base, dryRun: true, onPayment: (f) => found.push(f) });
      if (values['dry-run']) return finish(preview, json, found);
      process.stdout.write(`${paymentTable(found, preview)}\n\n${summaryLine(preview)}\n`);
      if (preview.failed > 0 || !preview.complete) return finish(preview, json);
      const sendable = found.filter((f) => f.status === 'listed').length;
      if (sendable === 0) {
        process.stdout.write('nothing to send\n');
        return 0;
      }
      if (!(await confirm(`Send ${sendable} payments to DataFast at ${datafastBase()}? [y/N] `))) {
        process.stderr.write('nothing sent\n');
        return 3;
      }
      return finish(await run(base, sendable), json);
    }
    if (!values.yes) {
      process.stderr.write(
        'nothing sent: no terminal to confirm on. Pass --yes to send, or --dry-run to see what would be sent.\n',
      );
      return 3;
    }
    return finish(await run(base, undefined), json);
  } catch (error) {
    process.stderr.write(`${messageOf(error)}\n`);
    return error instanceof BackfillConfigError ? 2 : 1;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

async function run(
  options: BackfillOptions,
  expected: number | undefined,
): Promise<BackfillSummary> {
  const progress = progressOn(process.stderr, expected);
  try {
    return await backfill({
      ...options,
      onProgress: (summary) => progress.update(summary),
      onPage: (summary) => progress.page(summary),
    });
  } finally {
    progress.done();
  }
}

function finish(summary: BackfillSummary, json: boolean, found?: FoundPayment[]): number {
  if (json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } else {
    if (found) process.stdout.write(`${paymentTable(found, summary)}\n\n`);
    process.stdout.write(`${summaryLine(summary)}\n`);
    for (const failure of summary.failures) process.stderr.write(`failed: ${failure}\n`);
    if (!summary.complete) {
      process.stderr.write(
        'interrupted: run the same command again to continue where it stopped\n',
      );
    }
  }
  return summary.failed > 0 || !summary.complete ? 1 : 0;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      since: { type: 'string' },
      until: { type: 'string' },
      'dry-run': { type: 'boolean' },
      yes: { type: 'boolean', short: 'y' },
      json: { type: 'boolean' },
      'attributed-only': { type: 'boolean' },
      state: { type: 'string' },
      'no-state': { type: 'boolean' },
      concurrency: { type: 'string' },
      'page-size': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

async function confirm(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await prompt.question(question)).trim());
  } finally {
    prompt.close();
  }
}

/** A whole number above 0 given as `name`, or `undefined` when not given. */
function count(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!(Number.isInteger(number) && number > 0)) {
    throw new BackfillConfigError(`${name} must be a whole number above 0, got "${value}"`);
  }
  return number;
}

function datafastBase(): string {
  return process.env.DATAFAST_BASE_URL?.trim() || 'https://datafa.st';
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${messageOf(error)}\n`);
    process.exitCode = 1;
  },
);
