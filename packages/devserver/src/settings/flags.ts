import { parseArgs } from 'node:util';
import { CONTROL_TOKEN_RULE, isControlToken } from '../control/access.js';
import { allowedHost } from '../control/hosts.js';
import {
  errorStatus,
  FAIL_NEXT_MODES,
  type FailNextMode,
  type Faults,
  rate,
  retryAfterValue,
} from '../faults.js';
import { milliseconds } from '../http/timers.js';

/** The CLI's usage text. */
export const USAGE = `Usage: datafast-devserver [options] [-- <app command>...]
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
  -p, --port <n>              port to listen on (default 4100; 0 picks a free one)
      --host <host>           interface to listen on (default 127.0.0.1)
  -c, --config <file>         JSON config: { "websites": [...], "tokens": [...], "faults": {...},
                              "stripe": { "webhookUrl": "/api/webhooks/stripe", "paymentLinks": [...] } }
      --app-url <url>         the app's URL, for the config's Stripe paths (/api/webhooks/stripe)
                              (default: http://localhost:$PORT, or :3000 without PORT)
      --data <file>           persist payments to this JSON file (default: in memory)
      --api-key <df_...>      key of the generated website when the config has none
                              (default: random, or the one kept in the --data file)
      --allowed-host <host>   also serve the dashboard and /__devserver to this Host name
                              (.example.test: the domain and its subdomains); repeatable
      --control-token <token> let other machines use the dashboard and /__devserver (this
                              machine always may): open /?token=<token>, or send
                              Authorization: Bearer <token>; 16+ characters
                              (default: env DATAFAST_DEVSERVER_CONTROL_TOKEN, else none)
      --body-limit <bytes>    largest request body (default 1048576)
  -q, --quiet                 print only the start banner and errors
  -h, --help                  show this help
  -v, --version               show the version

Faults (apply to /api/v1/* only; change them at runtime with PUT /__devserver/faults):
      --failure-rate <0..1>   answer --failure-status with this probability
      --failure-status <code> status for injected failures (default 503)
      --latency-ms <ms|a-b>   delay each request by ms, or uniformly between a and b
                              (at most 2147483647)
      --latency-rate <0..1>   delay only this share of requests (default 1: all)
      --rate-limit-rate <0..1> answer 429 with Retry-After with this probability
      --retry-after <value>   the Retry-After value: seconds, or an HTTP date such as
                              "Wed, 21 Oct 2026 07:28:00 GMT" (default 1)
      --drop-rate <0..1>      reset the connection without answering, with this probability
      --fail-next <n>         fail the next n requests
      --fail-next-mode <mode> how: status (default), rate-limit, drop or hang
      --fail-next-status <code> status for --fail-next-mode status (default --failure-status)

Environment variables for a client:  DATAFAST_BASE_URL=<the URL printed at start>
                                     DATAFAST_API_KEY=<the key printed at start>`;

/** A command line the CLI can not run; the message says which flag is wrong. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** What the command line asks for. */
export interface CliFlags {
  help: boolean;
  version: boolean;
  quiet: boolean;
  port: number;
  host: string;
  configPath?: string;
  dataFile?: string;
  apiKey?: string;
  bodyLimit?: number;
  /** Every `--allowed-host`, added to the config file's `allowedHosts`. */
  allowedHosts: string[];
  /** `--control-token`: lets callers on other machines use the dashboard and `/__devserver`. */
  controlToken?: string;
  /** Only the fault flags that were given; they override the config file's faults one by one. */
  faults: Faults;
  /** `--app-url`: where the config's Stripe paths point; absent: `http://localhost:$PORT`. */
  appUrl?: string;
  /** The app command after `--`, run beside the devserver; absent without `--`. */
  appCommand?: string[];
}

function toNumber(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

function number(flag: string, text: string, check: (n: number) => boolean, what: string): number {
  const value = toNumber(text);
  if (!Number.isFinite(value) || !check(value)) {
    throw new UsageError(`--${flag} must be ${what}, got "${text}"`);
  }
  return value;
}

/**
 * A flag's value checked by the same rule as its setting in a config file or `setFaults`, so the
 * CLI can not accept what the server would refuse. The message names the flag.
 */
function checked<T>(
  flag: string,
  text: string,
  check: (value: never, name: string) => T,
  value: unknown = text,
): T {
  try {
    return check(value as never, `--${flag}`);
  } catch (error) {
    throw new UsageError(`${(error as Error).message}, got ${JSON.stringify(text)}`);
  }
}

function latency(text: string): NonNullable<Faults['latencyMs']> {
  const range = /^(\d+(?:\.\d+)?)\s*(?:-|\.\.)\s*(\d+(?:\.\d+)?)$/.exec(text);
  if (!range) return checked('latency-ms', text, milliseconds, toNumber(text));
  const min = checked('latency-ms', text, milliseconds, Number(range[1]));
  const max = checked('latency-ms', text, milliseconds, Number(range[2]));
  if (min > max) throw new UsageError(`--latency-ms range "${text}" has min above max`);
  return { min, max };
}

/**
 * Parses the CLI's arguments.
 *
 * @example
 * parseFlags(['--port', '0', '--fail-next', '2']).faults // { failNext: { count: 2 } }
 */
export function parseFlags(argv: string[]): CliFlags {
  // Everything after the first `--` belongs to the app's command, flags included.
  const split = argv.indexOf('--');
  const own = split === -1 ? argv : argv.slice(0, split);
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(own);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values;
  const flags: CliFlags = {
    help: v.help === true,
    version: v.version === true,
    quiet: v.quiet === true,
    port:
      v.port === undefined
        ? 4100
        : number(
            'port',
            v.port,
            (n) => Number.isInteger(n) && n >= 0 && n <= 65535,
            'a port from 0 to 65535',
          ),
    host: v.host ?? '127.0.0.1',
    allowedHosts: (v['allowed-host'] ?? []).map((h) => checked('allowed-host', h, allowedHost)),
    faults: {},
  };
  if (split !== -1) {
    flags.appCommand = argv.slice(split + 1);
    if (flags.appCommand.length === 0) {
      throw new UsageError('-- must be followed by the command that starts your app');
    }
  }
  if (v.config !== undefined) flags.configPath = v.config;
  if (v.data !== undefined) flags.dataFile = v.data;
  if (v['app-url'] !== undefined) {
    if (!/^https?:\/\/[^/]/.test(v['app-url']) || !URL.canParse(v['app-url'])) {
      throw new UsageError(`--app-url must be an http(s) URL, got "${v['app-url']}"`);
    }
    flags.appUrl = v['app-url'];
  }
  if (v['api-key'] !== undefined) {
    if (!/^df_\S+$/.test(v['api-key'])) throw new UsageError('--api-key must start with "df_"');
    flags.apiKey = v['api-key'];
  }
  if (v['control-token'] !== undefined) {
    if (!isControlToken(v['control-token'])) {
      throw new UsageError(`--control-token must be ${CONTROL_TOKEN_RULE}`);
    }
    flags.controlToken = v['control-token'];
  }
  if (v['body-limit'] !== undefined) {
    flags.bodyLimit = number(
      'body-limit',
      v['body-limit'],
      (n) => Number.isInteger(n) && n > 0,
      'a whole number of bytes',
    );
  }

  const f = flags.faults;
  const rateFlag = (flag: string, text: string) => checked(flag, text, rate, toNumber(text));
  const statusFlag = (flag: string, text: string) =>
    checked(flag, text, errorStatus, toNumber(text));
  if (v['failure-rate'] !== undefined) f.failureRate = rateFlag('failure-rate', v['failure-rate']);
  if (v['failure-status'] !== undefined) {
    f.failureStatus = statusFlag('failure-status', v['failure-status']);
  }
  if (v['latency-ms'] !== undefined) f.latencyMs = latency(v['latency-ms']);
  if (v['latency-rate'] !== undefined) f.latencyRate = rateFlag('latency-rate', v['latency-rate']);
  if (v['rate-limit-rate'] !== undefined) {
    f.rateLimitRate = rateFlag('rate-limit-rate', v['rate-limit-rate']);
  }
  if (v['retry-after'] !== undefined) {
    f.retryAfter = checked('retry-after', v['retry-after'], retryAfterValue);
  }
  if (v['drop-rate'] !== undefined) f.dropRate = rateFlag('drop-rate', v['drop-rate']);
  const mode = v['fail-next-mode'];
  const nextStatus = v['fail-next-status'];
  if (v['fail-next'] !== undefined) {
    const count = number(
      'fail-next',
      v['fail-next'],
      (n) => Number.isInteger(n) && n >= 0,
      'a whole number',
    );
    const failNext: NonNullable<Faults['failNext']> = { count };
    if (mode !== undefined) {
      if (!FAIL_NEXT_MODES.includes(mode as FailNextMode)) {
        throw new UsageError(`--fail-next-mode must be ${FAIL_NEXT_MODES.join(', ')}`);
      }
      failNext.mode = mode as FailNextMode;
    }
    if (nextStatus !== undefined) failNext.status = statusFlag('fail-next-status', nextStatus);
    f.failNext = failNext;
  } else if (mode !== undefined || nextStatus !== undefined) {
    throw new UsageError('--fail-next-mode and --fail-next-status need --fail-next <count>');
  }
  return flags;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      config: { type: 'string', short: 'c' },
      data: { type: 'string' },
      'app-url': { type: 'string' },
      'api-key': { type: 'string' },
      'allowed-host': { type: 'string', multiple: true },
      'control-token': { type: 'string' },
      'body-limit': { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
      'failure-rate': { type: 'string' },
      'failure-status': { type: 'string' },
      'latency-ms': { type: 'string' },
      'latency-rate': { type: 'string' },
      'rate-limit-rate': { type: 'string' },
      'retry-after': { type: 'string' },
      'drop-rate': { type: 'string' },
      'fail-next': { type: 'string' },
      'fail-next-mode': { type: 'string' },
      'fail-next-status': { type: 'string' },
    },
  });
}
