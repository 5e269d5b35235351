import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { Faults } from '../faults.js';
import { settingsFrom } from './schema.js';
import type { Setting } from './setting.js';

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
  /**
   * `--control-token`, else `DATAFAST_DEVSERVER_CONTROL_TOKEN`: lets callers on other machines
   * use the dashboard and `/__devserver`.
   */
  controlToken?: string;
  /** Only the fault flags that were given; they override the config file's faults one by one. */
  faults: Faults;
  /** `--app-url`: where the config's Stripe paths point; absent: `http://localhost:$PORT`. */
  appUrl?: string;
  /** The app command after `--`, run beside the devserver; absent without `--`. */
  appCommand?: string[];
}

/** `node:util`'s options for the schema's flags. */
function parseArgsOptions(flags: Setting[]): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(
    flags.map((s) => [
      s.flag as string,
      {
        type: s.arg ? ('string' as const) : ('boolean' as const),
        ...(s.short ? { short: s.short } : {}),
        ...(s.multiple ? { multiple: true } : {}),
      },
    ]),
  );
}

/** One flag's text checked by its setting's rule; the message names the flag (and the text). */
function flagValue(setting: Setting, text: string): unknown {
  const name = `--${setting.flag}`;
  try {
    const value = setting.fromText ? setting.fromText(text) : text;
    return setting.check(setting.multiple ? [value] : value, name, {});
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    throw new UsageError(
      setting.secret ? error.message : `${error.message}, got ${JSON.stringify(text)}`,
    );
  }
}

/** Sets `failNext.count` as `{ failNext: { count } }`. */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const [head, tail] = path.split('.') as [string, string | undefined];
  if (tail === undefined) {
    target[head] = value;
    return;
  }
  target[head] = { ...(target[head] as object | undefined), [tail]: value };
}

/**
 * Parses the CLI's arguments through the settings' schema: every flag's value is checked by the
 * same rule as its setting in a config file or `startDevServer()`, so the CLI can not accept what
 * the server would refuse. A setting with an environment variable (`--control-token`) reads it
 * when the flag is absent.
 *
 * @example
 * parseFlags(['--port', '0', '--fail-next', '2']).faults // { failNext: { count: 2 } }
 */
export function parseFlags(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
): CliFlags {
  // Everything after the first `--` belongs to the app's command, flags included.
  const split = argv.indexOf('--');
  const flags = settingsFrom('flag');
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    values = parseArgs({
      args: split === -1 ? argv : argv.slice(0, split),
      strict: true,
      allowPositionals: false,
      options: parseArgsOptions(flags),
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }

  // `--help` and `--version` answer whatever the environment holds.
  const fromEnvironment = values.help || values.version ? {} : env;
  const result: Record<string, unknown> = { faults: {} };
  for (const setting of flags) {
    const given = values[setting.flag as string];
    let value: unknown;
    if (given === undefined) {
      const fromEnv = setting.env ? fromEnvironment[setting.env] : undefined;
      if (fromEnv) value = checkEnv(setting, fromEnv);
      else value = setting.multiple ? [] : setting.cliDefault;
    } else if (typeof given === 'boolean') {
      value = given;
    } else if (Array.isArray(given)) {
      value = given.flatMap((text) => flagValue(setting, String(text)) as unknown[]);
    } else {
      value = flagValue(setting, given);
    }
    if (value === undefined) continue;
    if (setting.fault) setPath(result.faults as Record<string, unknown>, setting.key, value);
    else result[setting.key] = value;
  }

  const faults = result.faults as Faults;
  if (faults.failNext && faults.failNext.count === undefined) {
    throw new UsageError('--fail-next-mode and --fail-next-status need --fail-next <count>');
  }
  if (split !== -1) {
    result.appCommand = argv.slice(split + 1);
    if ((result.appCommand as string[]).length === 0) {
      throw new UsageError('-- must be followed by the command that starts your app');
    }
  }
  return result as unknown as CliFlags;
}

function checkEnv(setting: Setting, text: string): unknown {
  try {
    return setting.check(text, setting.env as string, {});
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    throw new UsageError(error.message);
  }
}
