export { type RunningApp, type StartAppOptions, startApp } from './app.js';
export { launchBrowser, launchChromium } from './chromium.js';
export {
  BASE_PAYMENT,
  byName,
  CASE_VISITOR,
  type Case,
  DELETE_CASES,
  DELETE_SEED,
  type DeleteCase,
  type DeleteOutcome,
  deletedFromSeed,
  PAYMENT_CASES,
  type PaymentCase,
  type PaymentOutcome,
  type StoredFields,
  storedView,
} from './payload-cases.js';
export { getFreePort } from './port.js';
