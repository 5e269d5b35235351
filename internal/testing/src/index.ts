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
export { describeStripeExample, type StripeExampleSuiteOptions } from './stripe-example-suite.js';
export {
  checkoutSession,
  invoice,
  otherVisitor,
  payloadOf,
  refund,
  refundedCharge,
  sessionCookie,
  stripeEvent,
  subscriptionSession,
  visitor,
  webhookSecret,
} from './stripe-fixtures.js';
export {
  type StripeStandIn,
  type StripeStandInRequest,
  startStripeStandIn,
} from './stripe-stand-in.js';
