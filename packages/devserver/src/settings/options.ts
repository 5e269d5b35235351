import type { ConfigSettings, DevServerConfig } from './config.js';
import { readSettings } from './read.js';

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

/** Every setting once checked, from the options or from the CLI's flags and config file. */
export interface ServerSettings
  extends ConfigSettings,
    Omit<DevServerOptions, keyof DevServerConfig> {}

/**
 * Checks `startDevServer()`'s options through the settings' schema. Plain JavaScript callers get
 * no type check: a misspelt or mistyped option is a `DevServerConfigError` naming it, never
 * silently ignored.
 */
export function readOptions(options: DevServerOptions): ServerSettings {
  return readSettings(options, 'option', 'startDevServer options') as ServerSettings;
}
