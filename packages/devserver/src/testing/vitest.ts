// `@datafast-checkout/devserver/testing/vitest`: the examples' contract as vitest suites, so that
// an app's own test files say only what is theirs (how it starts, its routes and labels), and a
// copied starter keeps its tests with published packages only. Each `describe…` registers hooks
// and tests where it is called and answers what it started, for the file's own tests.
export type {
  AppEnv,
  ExampleApp,
  ExampleLabels,
  ExampleRoutes,
  RunningExample,
} from './example.js';
export { type AttributionSuite, describeAttribution } from './suites/attribution.js';
export {
  type CheckoutApiOptions,
  type CheckoutApiSuite,
  describeCheckoutApi,
} from './suites/checkout-api.js';
export { describeStripeRoutes, type StripeRoutesSuite } from './suites/stripe-routes.js';
export {
  describeTrackerProxy,
  postPageview,
  type TrackerProxyOptions,
  type TrackerProxySuite,
} from './suites/tracker-proxy.js';
