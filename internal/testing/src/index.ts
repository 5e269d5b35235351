export { type RunningApp, type StartAppOptions, startApp } from './app.js';
export { launchBrowser, launchChromium } from './chromium.js';
export {
  BASE_PAYMENT,
  CASE_VISITOR,
  DELETE_CASES,
  DELETE_SEED,
  type DeleteCase,
  type DeleteOutcome,
  PAYMENT_CASES,
  type PaymentCase,
  type PaymentOutcome,
  type StoredFields,
} from './payload-cases.js';
export { getFreePort } from './port.js';
