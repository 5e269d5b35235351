import { carrierParams } from './link-carriers.js';

/**
 * Which links {@link decoratePaymentLinks} touches: a hostname (`*.example.com` for any
 * subdomain) and the query parameter that carries the visitor id into that provider's hosted
 * checkout.
 */
export type LinkCarriers = Record<string, string>;

/**
 * Every hosted checkout whose links carry a visitor: Stripe Payment Links, LemonSqueezy
 * checkout links (any store subdomain), Polar checkout links (and their older `api.polar.sh`
 * redirect form), Creem payment links and Dodo Payments payment links, live and test. Paddle's
 * hosted checkouts take no custom data in the link: use `readVisitorId()` with Paddle.js.
 */
export const defaultCarriers: LinkCarriers = {
  'buy.stripe.com': carrierParams.stripe,
  '*.lemonsqueezy.com': carrierParams.lemonsqueezy,
  'buy.polar.sh': carrierParams.polar,
  'api.polar.sh': carrierParams.polar,
  'sandbox-api.polar.sh': carrierParams.polar,
  'creem.io': carrierParams.creem,
  'www.creem.io': carrierParams.creem,
  'checkout.dodopayments.com': carrierParams.dodo,
  'test.checkout.dodopayments.com': carrierParams.dodo,
};

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The visitor id in the tracker's `datafast_visitor_id` cookie (lower case), or `undefined`
 * when there is none or it is not a visitor UUID. For checkouts opened from script, such as
 * Paddle.js: `customData: { datafast_visitor_id: readVisitorId() }`.
 *
 * @example
 * Paddle.Checkout.open({ items, customData: { datafast_visitor_id: readVisitorId() } })
 */
export function readVisitorId(): string | undefined {
  const match = /(?:^|;\s*)datafast_visitor_id=([^;]*)/.exec(document.cookie);
  const id = match?.[1] && decodeURIComponent(match[1]);
  return id && uuid.test(id) ? id.toLowerCase() : undefined;
}

/**
 * Adds the visitor's `datafast_visitor_id` cookie to every payment link on the page (the
 * {@link defaultCarriers} hosts; pass your own map for custom domains), including links added
 * later and links pointed at, focused or clicked after the tracker set its cookie. A link that
 * already carries a value keeps it; without a valid cookie nothing changes. No dependencies;
 * returns a function that stops it.
 *
 * @example
 * decoratePaymentLinks() // or decoratePaymentLinks({ 'pay.example.com': 'client_reference_id' })
 */
export function decoratePaymentLinks(carriers: LinkCarriers = defaultCarriers): () => void {
  const decorate = (link: Element) => {
    const id = readVisitorId();
    const host = link instanceof HTMLAnchorElement ? link.hostname : '';
    const param = host && (carriers[host] ?? carriers[`*${host.slice(host.indexOf('.'))}`]);
    // The anchor parsed its own URL: append to its query, keeping the rest and the fragment.
    // A link that already carries the parameter (an affiliate tool's value) is left alone.
    if (id && param && !new URLSearchParams((link as HTMLAnchorElement).search).has(param)) {
      const anchor = link as HTMLAnchorElement;
      anchor.search += `${anchor.search.length > 1 ? '&' : ''}${encodeURIComponent(param)}=${id}`;
    }
  };
  const decorateAll = (root: ParentNode) => {
    for (const link of root.querySelectorAll('a[href]')) decorate(link);
  };
  decorateAll(document);
  const observer = new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      if (mutation.type === 'attributes') decorate(mutation.target as Element);
      for (const node of mutation.addedNodes) {
        if (node instanceof Element) {
          decorate(node);
          decorateAll(node);
        }
      }
    }
  });
  observer.observe(document.documentElement, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ['href'],
  });
  // The tracker may set its cookie after this ran: look again when a link is pointed at,
  // focused or followed, so the URL shown, copied or opened carries the visitor.
  const events = ['pointerover', 'focusin', 'click', 'auxclick'];
  const onEvent = (event: Event) => {
    const link = (event.target as Element | null)?.closest?.('a[href]');
    if (link) decorate(link);
  };
  for (const type of events) document.addEventListener(type, onEvent, true);
  return () => {
    observer.disconnect();
    for (const type of events) document.removeEventListener(type, onEvent, true);
  };
}
