// Reads settings from an object (a config file, or startDevServer's options) through the schema:
// each value checked once, by its setting's rule; an error names the setting and the source.
import { DevServerConfigError } from '../errors.js';
import { FILE_ONLY_KEYS, settingsFrom } from './schema.js';
import type { Source } from './setting.js';
import { type CheckContext, isRecord } from './values.js';

/**
 * The checked values of an object of settings, by key. A value left `undefined` is absent.
 * Throws a `DevServerConfigError` that starts with `label` (the file's path, or
 * `startDevServer options`).
 *
 * @example
 * readSettings({ port: 0 }, 'option', 'startDevServer options') // { port: 0 }
 */
export function readSettings(
  input: unknown,
  source: Exclude<Source, 'flag'>,
  label: string,
  context: CheckContext = {},
): Record<string, unknown> {
  const fail = (message: string): never => {
    throw new DevServerConfigError(`${label}: ${message}`);
  };
  if (input === undefined || input === null) return {};
  if (!isRecord(input)) fail('the config must be a JSON object');
  const raw = input as Record<string, unknown>;
  const settings = settingsFrom(source);
  for (const key of Object.keys(raw)) {
    const known =
      settings.some((s) => s.key === key) || (source === 'file' && FILE_ONLY_KEYS.includes(key));
    if (!known) fail(`unknown property "${key}"`);
  }
  const values: Record<string, unknown> = {};
  // In the schema's order, so that `appUrl` is known before the Stripe paths that need it.
  const seen: CheckContext = { ...context };
  for (const setting of settings) {
    const value = raw[setting.key];
    if (value === undefined) continue;
    try {
      values[setting.key] = setting.check(value, setting.key, seen);
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      fail(error.message);
    }
    if (setting.key === 'appUrl') seen.appUrl = values.appUrl as string;
  }
  return values;
}
