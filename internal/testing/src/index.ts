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
export { type ApiStandIn, type ApiStandInRequest, startApiStandIn } from './api-stand-in.js';
export {
  creemCheckout,
  creemDispute,
  creemEvent,
  creemRefund,
  creemSubscription,
  creemTestApiKey,
  creemTransaction,
  creemWebhookSecret,
} from './creem-fixtures.js';
export {
  dodoDispute,
  dodoEvent,
  dodoPayment,
  dodoRefund,
  dodoWebhookSecret,
} from './dodo-fixtures.js';
export {
  type PostgresEngine,
  type StartPostgresOptions,
  startPostgres,
} from './engines/postgres.mjs';
export { type RedisEngine, type StartRedisOptions, startRedis } from './engines/redis.js';
export { type FlakyProxy, type ProxyFault, startFlakyProxy } from './flaky-proxy.js';
export { otherVisitor, sessionCookie, visitor, webhookSecret } from './ids.js';
export {
  lemonSqueezyEvent,
  lemonSqueezyInvoice,
  lemonSqueezyInvoiceTemplate,
  lemonSqueezyOrder,
  lemonSqueezyOrderTemplate,
  lemonSqueezyWebhookSecret,
} from './lemonsqueezy-fixtures.js';
export { type ListStyle, listAnswer } from './list-endpoints.js';
export { nodeAtLeast } from './node-binary.js';
export { type Overlap, type OverlapProxy, startOverlapProxy } from './overlap-proxy.js';
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
export {
  creemRequest,
  lemonSqueezyRequest,
  paddleRequest,
  standardWebhookHeaders,
  standardWebhookRequest,
} from './sign.js';
export { stripeDispute } from './stripe-disputes.js';
