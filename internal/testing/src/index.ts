export { type ApiStandIn, type ApiStandInRequest, startApiStandIn } from './api-stand-in.js';
export { type RunningApp, type StartAppOptions, startApp } from './app.js';
export { launchBrowser, launchChromium } from './chromium.js';
export {
  creemCheckout,
  creemEvent,
  creemRefund,
  creemSubscription,
  creemTestApiKey,
  creemTransaction,
  creemWebhookSecret,
} from './creem-fixtures.js';
export { dodoEvent, dodoPayment, dodoRefund, dodoWebhookSecret } from './dodo-fixtures.js';
export {
  lemonSqueezyEvent,
  lemonSqueezyInvoice,
  lemonSqueezyInvoiceTemplate,
  lemonSqueezyOrder,
  lemonSqueezyOrderTemplate,
  lemonSqueezyWebhookSecret,
} from './lemonsqueezy-fixtures.js';
export {
  paddleEvent,
  paddleRefund,
  paddleRotatedSecret,
  paddleSandboxApiKey,
  paddleTransaction,
  paddleWebhookSecret,
} from './paddle-fixtures.js';
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
export {
  polarEvent,
  polarLinkMetadata,
  polarOrder,
  polarRefund,
  polarWebhookSecret,
} from './polar-fixtures.js';
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
