// `@datafast-checkout/devserver/testing`: what an app's own tests need beside the devserver, so a
// starter copied out of this repository keeps working tests with published packages only.
export { type RunningApp, type StartAppOptions, startApp } from './app.js';
export {
  type ChromiumOptions,
  type DisposableContext,
  launchBrowser,
  launchChromium,
} from './chromium.js';
export { type DashboardPage, openDashboard } from './dashboard.js';
export {
  type AppEnv,
  DEFAULT_LABELS,
  DEFAULT_ROUTES,
  type ExampleApp,
  type ExampleLabels,
  type ExampleRoutes,
  type RunningExample,
  type StartExampleOptions,
  startExample,
} from './example.js';
export { getFreePort } from './port.js';
export {
  checkoutSession,
  invoice,
  payloadOf,
  refund,
  refundedCharge,
  type StripeObject,
  stripeEvent,
  subscriptionSession,
} from './stripe-fixtures.js';
export {
  type StripeStandIn,
  type StripeStandInRequest,
  startStripeStandIn,
} from './stripe-stand-in.js';
