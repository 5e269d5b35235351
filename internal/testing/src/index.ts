// The helpers an app's tests need (child apps, Chromium, the Stripe stand-in and fixtures) are
// published as `@datafast-checkout/devserver/testing`, so that the examples, copied out of this
// repository, keep working tests. The packages' own suites take them from here, from the
// devserver's source rather than its build, so that the devserver's tests can use this package
// without a dependency cycle.
export {
  checkoutSession,
  getFreePort,
  invoice,
  launchBrowser,
  launchChromium,
  payloadOf,
  type RunningApp,
  refund,
  refundedCharge,
  type StartAppOptions,
  type StripeStandIn,
  type StripeStandInRequest,
  startApp,
  startStripeStandIn,
  stripeEvent,
  subscriptionSession,
} from '../../../packages/devserver/src/testing/index.js';
export { otherVisitor, sessionCookie, visitor, webhookSecret } from './ids.js';
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
