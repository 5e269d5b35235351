/** Where warnings and default error reports go. `console` unless you pass your own. */
export interface Logger {
  warn(message: string): void;
  error(message: string): void;
  /** Lines of the `debug` option; `warn` when absent. */
  debug?(message: string): void;
}

/** What starts every line this package logs. */
export const logPrefix = '[datafast-checkout]';

/** A client's log: every line prefixed; `debug` lines only while debugging is on. */
export interface Log {
  warn(message: string): void;
  /** Warns once per `key` for the client's lifetime. */
  warnOnce(key: string, message: string): void;
  error(message: string): void;
  /** `message` is only built when debugging is on. */
  debug(message: () => string): void;
}

/**
 * The log of one client. `debugOn` is asked at the first debug line (an environment set after
 * import, by dotenv or a test, is honoured).
 *
 * @example
 * const log = createLog(console, () => false); log.warnOnce('key', 'said once')
 */
export function createLog(logger: Logger, debugOn: () => boolean): Log {
  const warned = new Set<string>();
  let debugging: boolean | undefined;
  const warn = (message: string) => logger.warn(`${logPrefix} ${message}`);
  return {
    warn,
    warnOnce: (key, message) => {
      if (warned.has(key)) return;
      warned.add(key);
      warn(message);
    },
    error: (message) => logger.error(`${logPrefix} ${message}`),
    debug: (message) => {
      debugging ??= debugOn();
      if (!debugging) return;
      const line = `${logPrefix} debug: ${message()}`;
      if (logger.debug) logger.debug(line);
      else logger.warn(line);
    },
  };
}
