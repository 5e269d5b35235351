/**
 * What the checkout page shows that depends on the environment, read at run time (not at build),
 * for the page's `useFetch` during server rendering.
 */
export default defineEventHandler(() => ({
  // The tracking script comes from this app's own origin, through the tracker proxy, so ad
  // blockers that block datafa.st do not cost the visitor's attribution. DATAFAST_SCRIPT_URL
  // loads it from elsewhere instead (e.g. https://datafa.st/js/script.js, without the proxy).
  scriptUrl: process.env.DATAFAST_SCRIPT_URL || '/js/script.js',
  scriptWebsiteId: process.env.DATAFAST_SCRIPT_WEBSITE_ID || 'dfid_local',
  // #region stripe
  // Your link from the Stripe Dashboard (its success URL: /success?session_id={CHECKOUT_SESSION_ID}).
  paymentLinkUrl:
    process.env.STRIPE_PAYMENT_LINK_URL ||
    'https://buy.stripe.com/test_set_STRIPE_PAYMENT_LINK_URL',
  // #endregion stripe
}));
