/**
 * Which links {@link decoratePaymentLinks} touches: a hostname and the query parameter that
 * carries the visitor id into that provider's hosted checkout.
 */
export type LinkCarriers = Record<string, string>;

/** Stripe Payment Links: `client_reference_id` reaches the Checkout Session. */
export const defaultCarriers: LinkCarriers = { 'buy.stripe.com': 'client_reference_id' };

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function visitorId(): string | undefined {
  const match = /(?:^|;\s*)datafast_visitor_id=([^;]*)/.exec(document.cookie);
  const id = match?.[1] && decodeURIComponent(match[1]);
  return id && uuid.test(id) ? id.toLowerCase() : undefined;
}

/**
 * Adds the visitor's `datafast_visitor_id` cookie to every payment link on the page
 * (`buy.stripe.com` by default; pass your custom domains), including links added later and
 * links pointed at, focused or clicked after the tracker set its cookie. A link that already
 * carries a value keeps it; without a valid cookie nothing changes. No dependencies; returns a
 * function that stops it.
 *
 * @example
 * decoratePaymentLinks() // or decoratePaymentLinks({ 'pay.example.com': 'client_reference_id' })
 */
export function decoratePaymentLinks(carriers: LinkCarriers = defaultCarriers): () => void {
  const decorate = (link: Element) => {
    const id = visitorId();
    const param = link instanceof HTMLAnchorElement && carriers[link.hostname];
    // The anchor parsed its own URL: append to its query, keeping the rest and the fragment.
    // A link that already carries the parameter (an affiliate tool's value) is left alone.
    if (id && param && !new URLSearchParams(link.search).has(param)) {
      link.search += `${link.search.length > 1 ? '&' : ''}${encodeURIComponent(param)}=${id}`;
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
