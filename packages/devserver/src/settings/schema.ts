import { CONTROL_TOKEN_ENV, CONTROL_TOKEN_RULE, isControlToken } from '../control/access.js';
import { allowedHost } from '../control/hosts.js';
import { parseFaults } from '../faults.js';
import { parseStripe, parseTokens, parseWebsites } from './config-sections.js';
import { FAULT_FLAGS } from './fault-flags.js';
import type { Setting, Source } from './setting.js';
import { isHttpUrl, nonEmptyString, numberText } from './values.js';

function rule(test: (value: unknown) => boolean, wanted: string) {
  return (value: unknown, name: string) => {
    if (!test(value)) throw new TypeError(`${name} must be ${wanted}`);
    return value;
  };
}

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
  ...FAULT_FLAGS,
];

/** Names a config file may hold that are not settings: `$schema`, for editors. */
export const FILE_ONLY_KEYS = ['$schema'];

/** The settings a source may give, by the name that source uses. */
export function settingsFrom(source: Source): Setting[] {
  return SETTINGS.filter((s) => s.from.includes(source));
}
