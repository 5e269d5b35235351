export type { PaymentRecord } from './api/payment-store.js';
export type { RequestLogEntry } from './api/request-log.js';
export type { DevServerStats } from './api/stats.js';
export type { DevServer } from './devserver.js';
export { DevServerConfigError, DevServerDataError } from './errors.js';
export type { FailNextMode, FaultKind, Faults } from './faults.js';
export { parseFaults } from './faults.js';
export type { DevServerConfig, TokenConfig, WebsiteConfig } from './settings/config.js';
export { loadConfigFile } from './settings/config.js';
export type { DevServerOptions } from './settings/options.js';
export { startDevServer } from './start.js';
export type { PageviewRecord } from './tracker/pageviews.js';
export {
  SESSION_COOKIE,
  SESSION_MAX_AGE_SECONDS,
  VISITOR_COOKIE,
  VISITOR_MAX_AGE_SECONDS,
} from './tracker/script.js';
export type { PageviewMatcher, PaymentMatcher } from './wait.js';
