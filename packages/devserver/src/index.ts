export type { DevServerConfig, TokenConfig, WebsiteConfig } from './config.js';
export { loadConfigFile } from './config.js';
export { DevServerConfigError, DevServerDataError } from './errors.js';
export type { FailNextMode, FaultKind, Faults } from './faults.js';
export { parseFaults } from './faults.js';
export type { DevServerOptions } from './options.js';
export type { PageviewRecord } from './pageviews.js';
export type { RequestLogEntry } from './requests.js';
export type { DevServer } from './server.js';
export { startDevServer } from './server.js';
export type { DevServerStats } from './stats.js';
export type { PaymentRecord } from './store.js';
export {
  SESSION_COOKIE,
  SESSION_MAX_AGE_SECONDS,
  VISITOR_COOKIE,
  VISITOR_MAX_AGE_SECONDS,
} from './tracker.js';
export type { PageviewMatcher, PaymentMatcher } from './wait.js';
