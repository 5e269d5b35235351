import { settingsFrom } from './schema.js';
import type { Setting } from './setting.js';

const COLUMN = 30;

/** One flag's lines of `--help`: `  -p, --port <n>` and its help text in a column beside it. */
function flagLines(setting: Setting): string[] {
  const short = setting.short ? `-${setting.short}, ` : '    ';
  const left = `  ${short}--${setting.flag}${setting.arg ? ` <${setting.arg}>` : ''}`;
  const [first = '', ...rest] = (setting.help ?? '').split('\n');
  const lead = left.length < COLUMN ? left.padEnd(COLUMN) : `${left} `;
  return [`${lead}${first}`, ...rest.map((line) => `${' '.repeat(COLUMN)}${line}`)];
}

/** The CLI's `--help`, its flags listed from the settings' schema. */
export function usage(): string {
  const flags = settingsFrom('flag').filter((s) => s.help);
  return `Usage: datafast-devserver [options] [-- <app command>...]
       npx @datafast-checkout/devserver [options]   (without installing it)

A local stand-in for the DataFast Payments API (not DataFast's product), with a dashboard,
a stand-in tracking script and fault injection.

After --, the command of your app (e.g. -- node server.js, -- next dev) runs beside the
devserver with DATAFAST_BASE_URL (and, for the generated website, DATAFAST_API_KEY) set to it;
with a config that has "stripe", also the Stripe stand-in's STRIPE_API_BASE, STRIPE_SECRET_KEY,
STRIPE_WEBHOOK_SECRET (with stripe.webhookUrl) and STRIPE_PAYMENT_LINK_URL (its first link);
and PORT and ORIGIN (the app's address) when unset. The devserver stops after the app exits,
with the app's exit code. SIGTERM is passed on to the app; Ctrl-C reaches both.

Options:
${flags
  .filter((s) => !s.fault)
  .flatMap(flagLines)
  .join('\n')}

Faults (apply to /api/v1/* only; change them at runtime with PUT /__devserver/faults):
${flags
  .filter((s) => s.fault)
  .flatMap(flagLines)
  .join('\n')}

Environment variables for a client:  DATAFAST_BASE_URL=<the URL printed at start>
                                     DATAFAST_API_KEY=<the key printed at start>`;
}
