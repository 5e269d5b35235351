import type { CheckContext } from './values.js';

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
