import { CONTROL_TOKEN_RULE, isControlToken } from '../control/access.js';
import { DevServerConfigError } from '../errors.js';
import type { DevServerConfig } from './config.js';

/**
 * Options for `startDevServer()`: the config (websites, tokens, faults, allowed hosts) plus how
 * to run.
 *
 * @example
 * const dev = await startDevServer({ faults: { failNext: { count: 1 } } });
 */
export interface DevServerOptions extends DevServerConfig {
  /** Port to listen on; default 0 (an ephemeral port). */
  port?: number;
  /** Interface to listen on; default `127.0.0.1`. A host name here is an allowed host too. */
  host?: string;
  /**
   * Persist payments to this JSON file (atomic writes); default in memory only. The generated
   * website's key is kept in it too, so it stays the same from one start to the next.
   */
  dataFile?: string;
  /** No console output; default `true`. The CLI sets it to `false`. */
  quiet?: boolean;
  /** The `df_` key of the generated website when `websites` is empty; default random (or kept in `dataFile`). */
  apiKey?: string;
  /** Largest accepted request body in bytes; default 1 MiB. Larger bodies get 413. */
  bodyLimit?: number;
  /** Where log lines go when not quiet; default `console.log`. Lines never contain a credential. */
  log?: (line: string) => void;
  /**
   * Lets callers on other machines use the dashboard and `/__devserver` (this machine always
   * may): they send `Authorization: Bearer <token>`, or open `/?token=<token>` once in a browser.
   * 16 to 256 letters, digits or `._~+/=-`. Default none: only this machine.
   */
  controlToken?: string;
  /**
   * The app's own URL (`http://localhost:3000`): the Stripe config's URLs may be paths
   * (`"webhookUrl": "/api/webhooks/stripe"`), resolved against it. The CLI passes
   * `--app-url`, else `http://localhost:$PORT` (3000 without `PORT`).
   */
  appUrl?: string;
}

type RuntimeOption = Exclude<keyof DevServerOptions, keyof DevServerConfig>;
const isPort = (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535;
const nonEmpty = (v: unknown) => typeof v === 'string' && v.trim() !== '';

/** Each runtime option's check, and what the error says it must be. */
const RUNTIME_OPTIONS: Record<RuntimeOption, [check: (value: unknown) => boolean, wanted: string]> =
  {
    port: [isPort, 'an integer from 0 to 65535'],
    host: [nonEmpty, 'a non-empty string'],
    dataFile: [nonEmpty, 'a non-empty path'],
    quiet: [(v) => typeof v === 'boolean', 'a boolean'],
    apiKey: [(v) => typeof v === 'string', 'a string'],
    bodyLimit: [(v) => Number.isSafeInteger(v) && (v as number) > 0, 'a whole number of bytes > 0'],
    log: [(v) => typeof v === 'function', 'a function'],
    controlToken: [isControlToken, CONTROL_TOKEN_RULE],
    appUrl: [(v) => typeof v === 'string' && /^https?:\/\/[^/]/.test(v), 'an http(s) URL'],
  };
/** Checked with the config file's rules by resolveConfig. */
const CONFIG_FIELDS = ['websites', 'tokens', 'faults', 'allowedHosts', 'stripe'];

/**
 * Plain JavaScript callers get no type check: a misspelt or mistyped option must not be
 * silently ignored, nor fail later in a less clear way. Throws a `DevServerConfigError`.
 */
export function checkOptions(options: DevServerOptions): void {
  for (const [key, value] of Object.entries(options)) {
    if (CONFIG_FIELDS.includes(key)) continue;
    if (!Object.hasOwn(RUNTIME_OPTIONS, key)) {
      throw new DevServerConfigError(`startDevServer options: unknown property "${key}"`);
    }
    const [check, wanted] = RUNTIME_OPTIONS[key as RuntimeOption];
    if (value !== undefined && !check(value)) {
      throw new DevServerConfigError(`startDevServer options: ${key} must be ${wanted}`);
    }
  }
}
