import type { ApiPipeline } from './api/pipeline.js';
import { CONTROL_PREFIX, type ControlTarget, handleControl } from './control/endpoints.js';
import { handleDashboard } from './dashboard/page.js';
import type { Handler, Route } from './http/router.js';
import { handleCheckoutPage, handleSessionPage, type StripeService } from './stripe/index.js';
import { handleEvent, type PageviewStore } from './tracker/pageviews.js';
import { handleTrackerScript } from './tracker/script.js';

const GET_HEAD = ['GET', 'HEAD'];

/** What the routes hand requests to; read when a request comes, as some are built after them. */
export interface RouteTargets {
  api: () => ApiPipeline;
  control: ControlTarget;
  stripe: () => StripeService;
  pageviews: PageviewStore;
}

/**
 * The devserver's route table: which part answers which path. Pages and endpoints that show or
 * change payments are guarded (an allowed Host, and this machine or the control token); the
 * tracker (no data, loaded by pages on any site), the API (it needs a key) and the Stripe
 * stand-in's checkout pages are not.
 *
 * @example
 * createRouter(devServerRoutes(targets), hosts, access)
 */
export function devServerRoutes(targets: RouteTargets): Route[] {
  const { control, pageviews } = targets;
  // The stand-in is built after the routes: read it when a request comes.
  const stripe =
    (
      handle: (s: StripeService, ...request: Parameters<Handler>) => void | Promise<void>,
    ): Handler =>
    (req, res, url) =>
      handle(targets.stripe(), req, res, url);
  return [
    { path: '/api/v1/*', handle: (req, res, url) => targets.api().handle(req, res, url) },
    {
      path: `${CONTROL_PREFIX}/*`,
      guarded: true,
      handle: (req, res, url) => handleControl(control, req, res, url),
    },
    ...['/', '/index.html'].map(
      (path): Route => ({ path, methods: GET_HEAD, guarded: true, handle: handleDashboard }),
    ),
    // The Stripe stand-in: its API needs its secret key; its checkout pages are public, as
    // buy.stripe.com and checkout.stripe.com are, and refuse form posts from other sites.
    { path: '/v1/*', handle: stripe((s, req, res, url) => s.handleApi(req, res, url)) },
    { path: '/buy/*', handle: stripe(handleCheckoutPage) },
    { path: '/c/pay/*', handle: stripe(handleSessionPage) },
    // The stand-in tracker's pageviews, sent from pages on any site (or through their proxy).
    { path: '/api/events', handle: (req, res) => handleEvent(pageviews, req, res) },
    { path: '/js/script.js', methods: GET_HEAD, handle: handleTrackerScript },
  ];
}
