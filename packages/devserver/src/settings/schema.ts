import { CONTROL_TOKEN_ENV, CONTROL_TOKEN_RULE, isControlToken } from '../control/access.js';
import { allowedHost } from '../control/hosts.js';
import {
  errorStatus,
  FAULT_FIELDS,
  type Faults,
  failNextCount,
  failNextMode,
  parseFaults,
} from '../faults.js';
import { parseStripe, parseTokens, parseWebsites } from './config-sections.js';
import { type CheckContext, isHttpUrl, nonEmptyString } from './values.js';

/** Where a setting's value came from: a command-line flag, the `--config` file, or `startDevServer()`. */
export type Source = 'flag' | 'file' | 'option';

/**
 * One setting, declared once: its name in `startDevServer()`'s options and the config file, its
 * flag and environment variable, its default, its `--help` text and its check. Flags, the config
 * file and options are all read through it, so each value is validated once, by one rule.
 */
export interface Setting {
  /** The option's (and config file's) name; for a fault flag, the `Faults` field it sets. */
  key: string;
  /** The sources it may come from. */
  from: readonly Source[];
  /** The long flag, without `--`. */
  flag?: string;
  short?: string;
  /** The flag's value in `--help` (`<n>`); absent: a switch that takes no value. */
  arg?: string;
  /** The flag may be given more than once; its values are collected into a list. */
  multiple?: true;
  /** The environment variable the CLI reads when the flag is absent. */
  env?: string;
  /** `--help` text; a setting without it (such as `log`) is not on the command line. */
  help?: string;
  /** The CLI's value when no source gives one. */
  cliDefault?: unknown;
  /** Never repeated in an error message. */
  secret?: true;
  /** A fault flag: its value goes into the `faults` setting (`failNext.count`: nested). */
  fault?: true;
  /** A flag's text as the value `check` takes; default: the text itself. */
  fromText?: (text: string) => unknown;
  /** The valid value, or a `TypeError` whose message starts with `name`. */
  check: (value: unknown, name: string, context: CheckContext) => unknown;
}

/** A number as a flag writes it; empty text is not 0. */
export function numberText(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

/** `200`, or a range `100-250` (also `100..250`), as `latencyMs` takes it. */
function latencyText(text: string): unknown {
  const range = /^(\d+(?:\.\d+)?)\s*(?:-|\.\.)\s*(\d+(?:\.\d+)?)$/.exec(text);
  return range ? { min: Number(range[1]), max: Number(range[2]) } : numberText(text);
}

function rule(test: (value: unknown) => boolean, wanted: string) {
  return (value: unknown, name: string) => {
    if (!test(value)) throw new TypeError(`${name} must be ${wanted}`);
    return value;
  };
}

const fault = (field: keyof Faults) => (value: unknown, name: string) =>
  FAULT_FIELDS[field](value, name);

/** Every setting of the devserver. `--help` lists them in this order. */
export const SETTINGS: readonly Setting[] = [
  {
    key: 'port',
    from: ['flag', 'option'],
    flag: 'port',
    short: 'p',
    arg: 'n',
    help: 'port to listen on (default 4100; 0 picks a free one)',
    cliDefault: 4100,
    fromText: numberText,
    check: rule(
      (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535,
      'an integer from 0 to 65535',
    ),
  },
  {
    key: 'host',
    from: ['flag', 'option'],
    flag: 'host',
    arg: 'host',
    help: 'interface to listen on (default 127.0.0.1)',
    cliDefault: '127.0.0.1',
    check: rule(nonEmptyString, 'a non-empty string'),
  },
  {
    key: 'configPath',
    from: ['flag'],
    flag: 'config',
    short: 'c',
    arg: 'file',
    help:
      'JSON config: { "websites": [...], "tokens": [...], "faults": {...},\n' +
      '"stripe": { "webhookUrl": "/api/webhooks/stripe", "paymentLinks": [...] } }',
    check: rule(nonEmptyString, 'a non-empty path'),
  },
  {
    key: 'appUrl',
    from: ['flag', 'option'],
    flag: 'app-url',
    arg: 'url',
    help:
      "the app's URL, for the config's Stripe paths (/api/webhooks/stripe)\n" +
      '(default: http://localhost:$PORT, or :3000 without PORT)',
    check: rule(isHttpUrl, 'an http(s) URL'),
  },
  {
    key: 'dataFile',
    from: ['flag', 'option'],
    flag: 'data',
    arg: 'file',
    help: 'persist payments to this JSON file (default: in memory)',
    check: rule(nonEmptyString, 'a non-empty path'),
  },
  {
    key: 'apiKey',
    from: ['flag', 'option'],
    flag: 'api-key',
    arg: 'df_...',
    secret: true,
    help:
      'key of the generated website when the config has none\n' +
      '(default: random, or the one kept in the --data file)',
    check: (value, name) => {
      if (typeof value !== 'string' || !/^df_\S+$/.test(value)) {
        throw new TypeError(`${name} must start with "df_" (no spaces)`);
      }
      return value;
    },
  },
  {
    key: 'allowedHosts',
    from: ['flag', 'file', 'option'],
    flag: 'allowed-host',
    arg: 'host',
    multiple: true,
    help:
      'also serve the dashboard and /__devserver to this Host name\n' +
      '(.example.test: the domain and its subdomains); repeatable',
    check: (value, name) => {
      if (!Array.isArray(value)) throw new TypeError(`"${name}" must be an array of host names`);
      // A flag names itself for every value; a list names the entry.
      const each = name.startsWith('--') ? () => name : (i: number) => `${name}[${i}]`;
      return value.map((host: unknown, i) => allowedHost(host, each(i)));
    },
  },
  {
    key: 'controlToken',
    from: ['flag', 'option'],
    flag: 'control-token',
    arg: 'token',
    secret: true,
    env: CONTROL_TOKEN_ENV,
    help:
      'let other machines use the dashboard and /__devserver (this\n' +
      'machine always may): open /?token=<token>, or send\n' +
      'Authorization: Bearer <token>; 16+ characters\n' +
      `(default: env ${CONTROL_TOKEN_ENV}, else none)`,
    check: rule(isControlToken, CONTROL_TOKEN_RULE),
  },
  {
    key: 'bodyLimit',
    from: ['flag', 'option'],
    flag: 'body-limit',
    arg: 'bytes',
    help: 'largest request body (default 1048576)',
    fromText: numberText,
    check: rule((v) => Number.isSafeInteger(v) && (v as number) > 0, 'a whole number of bytes > 0'),
  },
  {
    key: 'quiet',
    from: ['flag', 'option'],
    flag: 'quiet',
    short: 'q',
    help: 'print only the start banner and errors',
    cliDefault: false,
    check: rule((v) => typeof v === 'boolean', 'a boolean'),
  },
  {
    key: 'help',
    from: ['flag'],
    flag: 'help',
    short: 'h',
    help: 'show this help',
    cliDefault: false,
    check: (v) => v,
  },
  {
    key: 'version',
    from: ['flag'],
    flag: 'version',
    short: 'v',
    help: 'show the version',
    cliDefault: false,
    check: (v) => v,
  },
  {
    key: 'log',
    from: ['option'],
    check: rule((v) => typeof v === 'function', 'a function'),
  },
  { key: 'websites', from: ['file', 'option'], check: parseWebsites },
  { key: 'tokens', from: ['file', 'option'], check: parseTokens },
  { key: 'stripe', from: ['file', 'option'], check: parseStripe },
  {
    key: 'faults',
    from: ['file', 'option'],
    check: (value, name) => {
      try {
        return parseFaults(value);
      } catch (error) {
        throw new TypeError(`${name}: ${(error as Error).message}`);
      }
    },
  },
  // The fault flags: each sets the `faults` field of its name, one by one over the file's.
  {
    key: 'failureRate',
    from: ['flag'],
    fault: true,
    flag: 'failure-rate',
    arg: '0..1',
    help: 'answer --failure-status with this probability',
    fromText: numberText,
    check: fault('failureRate'),
  },
  {
    key: 'failureStatus',
    from: ['flag'],
    fault: true,
    flag: 'failure-status',
    arg: 'code',
    help: 'status for injected failures (default 503)',
    fromText: numberText,
    check: fault('failureStatus'),
  },
  {
    key: 'latencyMs',
    from: ['flag'],
    fault: true,
    flag: 'latency-ms',
    arg: 'ms|a-b',
    help: 'delay each request by ms, or uniformly between a and b\n(at most 2147483647)',
    fromText: latencyText,
    check: fault('latencyMs'),
  },
  {
    key: 'latencyRate',
    from: ['flag'],
    fault: true,
    flag: 'latency-rate',
    arg: '0..1',
    help: 'delay only this share of requests (default 1: all)',
    fromText: numberText,
    check: fault('latencyRate'),
  },
  {
    key: 'rateLimitRate',
    from: ['flag'],
    fault: true,
    flag: 'rate-limit-rate',
    arg: '0..1',
    help: 'answer 429 with Retry-After with this probability',
    fromText: numberText,
    check: fault('rateLimitRate'),
  },
  {
    key: 'retryAfter',
    from: ['flag'],
    fault: true,
    flag: 'retry-after',
    arg: 'value',
    help:
      'the Retry-After value: seconds, or an HTTP date such as\n' +
      '"Wed, 21 Oct 2026 07:28:00 GMT" (default 1)',
    check: fault('retryAfter'),
  },
  {
    key: 'dropRate',
    from: ['flag'],
    fault: true,
    flag: 'drop-rate',
    arg: '0..1',
    help: 'reset the connection without answering, with this probability',
    fromText: numberText,
    check: fault('dropRate'),
  },
  {
    key: 'failNext.count',
    from: ['flag'],
    fault: true,
    flag: 'fail-next',
    arg: 'n',
    help: 'fail the next n requests',
    fromText: numberText,
    check: failNextCount,
  },
  {
    key: 'failNext.mode',
    from: ['flag'],
    fault: true,
    flag: 'fail-next-mode',
    arg: 'mode',
    help: 'how: status (default), rate-limit, drop or hang',
    check: failNextMode,
  },
  {
    key: 'failNext.status',
    from: ['flag'],
    fault: true,
    flag: 'fail-next-status',
    arg: 'code',
    help: 'status for --fail-next-mode status (default --failure-status)',
    fromText: numberText,
    check: errorStatus,
  },
];

/** Names a config file may hold that are not settings: `$schema`, for editors. */
export const FILE_ONLY_KEYS = ['$schema'];

/** The settings a source may give, by the name that source uses. */
export function settingsFrom(source: Source): Setting[] {
  return SETTINGS.filter((s) => s.from.includes(source));
}
