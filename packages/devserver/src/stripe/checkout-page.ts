import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeHtml, isCrossOrigin, readBody, sendText } from '../http/messages.js';
import type { CheckoutResult } from './account.js';
import { StripeActionError } from './errors.js';
import { describePrice, type PaymentLink } from './links.js';
import { formatMinorUnits } from './money.js';
import { type Purchase, purchaseOfLink } from './purchase.js';
import type { StripeService } from './service.js';

// The hosted checkout page of a payment link, at /buy/<link id>: what buy.stripe.com shows,
// served by the devserver so that a payment link works with no Stripe account and no network.
// "Pay" creates the Checkout Session and its events, then redirects to the link's success URL.

const STYLE = `
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1a1f36; background: #fff; }
.banner { background: #e8590c; color: #fff; padding: .45rem 1rem; font-size: .85rem; text-align: center; }
.banner b { font-weight: 600; }
.page { display: grid; grid-template-columns: 1fr 1fr; min-height: calc(100vh - 2rem); }
.product { background: #f6f8fa; padding: 4rem 3rem; display: flex; flex-direction: column; align-items: flex-end; }
.product > div, form { width: 100%; max-width: 380px; }
.product small { color: #697386; }
.product h1 { font-size: 1rem; font-weight: 500; color: #697386; margin: 1.5rem 0 .25rem; }
.price { font-size: 2.2rem; font-weight: 600; margin: 0; }
.note { margin-top: 2rem; padding: .75rem; border: 1px dashed #c1c9d2; border-radius: 6px; font-size: .85rem; color: #3c4257; }
.note code { font-size: .8rem; word-break: break-all; }
.pay { padding: 4rem 3rem; }
label { display: block; font-size: .85rem; color: #3c4257; margin: 1rem 0 .3rem; }
input { width: 100%; font: inherit; padding: .55rem .7rem; border: 1px solid #d5dbe1; border-radius: 6px; }
input[readonly] { background: #f6f8fa; color: #697386; }
button { width: 100%; margin-top: 1.5rem; font: inherit; font-weight: 600; padding: .75rem; color: #fff; background: #1a1f36; border: 0; border-radius: 6px; cursor: pointer; }
button:hover { background: #2a3150; }
.fine { color: #697386; font-size: .8rem; margin-top: 1rem; }
@media (max-width: 760px) { .page { grid-template-columns: 1fr; } .product { align-items: stretch; padding: 2rem 1.5rem; } .pay { padding: 2rem 1.5rem; } }
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · stand-in checkout</title>
<style>${STYLE}</style>
</head>
<body>
<div class="banner" role="note"><b>Stand-in checkout</b> served by datafast-devserver for local development: <b>not Stripe</b>, no money moves.</div>
${body}
</body>
</html>
`;
}

/** What a checkout page shows: a payment link's product, or an API session's line items. */
interface CheckoutView {
  purchase: Purchase;
  /** The visitor the link (or the session) carries, as given. */
  reference: string;
  email: string;
  /** Where its events go, or `null`. */
  webhookUrl: string | null;
  /** `link` for a payment link, `session` for a session created with the API. */
  kind: 'link' | 'session';
}

const methodLabel = (purchase: Purchase) =>
  purchase.paymentMethod === 'card'
    ? { label: 'Card information', value: '4242 4242 4242 4242 · 12/34 · 123 (test card)' }
    : { label: 'SEPA Direct Debit', value: 'DE89 3704 0044 0532 0130 00 (test IBAN)' };

const buttonLabel = (purchase: Purchase) =>
  purchase.trialDays > 0
    ? 'Start trial'
    : purchase.interval === 'once'
      ? `Pay ${formatMinorUnits(purchase.unitAmount, purchase.currency)}`
      : 'Subscribe';

/** The checkout page of a link, for the visitor its URL carries (`?client_reference_id=`). */
export function checkoutHtml(link: PaymentLink, query: URLSearchParams): string {
  return checkoutPageHtml({
    purchase: purchaseOfLink(link),
    reference: query.get('client_reference_id') ?? '',
    email: query.get('prefilled_email') ?? 'jenny.rosen@example.com',
    webhookUrl: link.webhookUrl,
    kind: 'link',
  });
}

function carriedNote({ kind, reference }: CheckoutView, metadata: Record<string, string>): string {
  const visitor = metadata.datafast_visitor_id;
  if (kind === 'session') {
    if (visitor) {
      return `This session carries <code>metadata.datafast_visitor_id=${escapeHtml(visitor)}</code>: its <code>checkout.session.completed</code> event will too.`;
    }
    return reference
      ? `This session carries <code>client_reference_id=${escapeHtml(reference)}</code>.`
      : 'This session carries no visitor (no <code>metadata.datafast_visitor_id</code>, no <code>client_reference_id</code>): the payment will be reported unattributed.';
  }
  return /^[A-Za-z0-9_-]{1,200}$/.test(reference)
    ? `This link carries <code>client_reference_id=${escapeHtml(reference)}</code>: the Checkout Session, and its <code>checkout.session.completed</code> event, will too.`
    : reference
      ? 'This link has a <code>client_reference_id</code> Stripe would ignore (only letters, digits, <code>-</code> and <code>_</code>, at most 200): the session will not carry it.'
      : 'This link carries no <code>client_reference_id</code>: unless the success page finds the visitor in its cookie, the payment will be reported unattributed.';
}

function checkoutPageHtml(view: CheckoutView, metadata: Record<string, string> = {}): string {
  const { purchase } = view;
  const method = methodLabel(purchase);
  const settles =
    purchase.paymentMethod === 'card'
      ? ''
      : '<p class="fine">An asynchronous method: the session completes <b>unpaid</b>; settle it from the devserver dashboard (<code>checkout.session.async_payment_succeeded</code>).</p>';
  const secret = view.kind === 'link' ? "the link's" : "the account's";
  return page(
    purchase.name,
    `<main class="page">
  <section class="product">
    <div>
      <small>${escapeHtml(purchase.name)}</small>
      <h1>${purchase.interval === 'once' ? 'Pay' : 'Subscribe to'} ${escapeHtml(purchase.name)}</h1>
      <p class="price" data-testid="price">${escapeHtml(describePrice(purchase))}</p>
      <p class="note">${carriedNote(view, metadata)}</p>
    </div>
  </section>
  <section class="pay">
    <form method="post">
      <input type="hidden" name="client_reference_id" value="${escapeHtml(view.reference)}">
      <label for="email">Email</label>
      <input id="email" name="email" type="email" value="${escapeHtml(view.email)}" required>
      <label for="method">${method.label}</label>
      <input id="method" value="${escapeHtml(method.value)}" readonly>
      <label for="name">Name</label>
      <input id="name" name="name" value="Jenny Rosen" autocomplete="name">
      <button type="submit">${escapeHtml(buttonLabel(purchase))}</button>
      ${settles}
      <p class="fine">Webhook: ${view.webhookUrl ? `<code>${escapeHtml(view.webhookUrl)}</code>, signed with ${secret} <code>whsec_</code> secret` : 'none (events are only recorded)'}.</p>
    </form>
  </section>
</main>`,
  );
}

function messageHtml(title: string, text: string): string {
  return page(title, `<main class="pay"><h1>${escapeHtml(title)}</h1><p>${text}</p></main>`);
}

const FORM_LIMIT = 16 * 1024;

/**
 * The form a `POST` of the checkout page carries, or `undefined` once the request is answered:
 * 405 for another method, 403 for a form posted from another site, 413 for one too large.
 */
async function paymentForm(
  req: IncomingMessage,
  res: ServerResponse,
  html: (status: number, text: string) => void,
  opened: 'link' | 'page',
): Promise<URLSearchParams | undefined> {
  if (req.method !== 'POST') {
    req.resume();
    res.setHeader('Allow', 'GET, HEAD, POST');
    html(405, messageHtml('Method not allowed', `Open the ${opened}, then pay with its form.`));
    return undefined;
  }
  if (isCrossOrigin(req)) {
    req.resume();
    html(403, messageHtml('Refused', 'The payment form was posted from another site.'));
    return undefined;
  }
  const body = await readBody(req, FORM_LIMIT).catch(() => undefined);
  if (!body) return undefined; // the browser went away mid-body
  if (body.tooLarge) {
    html(413, messageHtml('Form too large', `The limit is ${FORM_LIMIT} bytes.`));
    return undefined;
  }
  return new URLSearchParams(body.bytes.toString('utf8'));
}

/**
 * Answers `/buy/<link id>`: `GET` shows the checkout page; `POST` (the page's form) pays:
 * creates the Checkout Session, sends its events, and redirects (303) to the success URL, or
 * shows a confirmation when the link has none. A form posted from another origin is refused.
 */
export async function handleCheckoutPage(
  stripe: StripeService,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const id = decodeURIComponent(url.pathname.slice('/buy/'.length));
  const link = stripe.account.link(id);
  const html = (status: number, text: string) =>
    sendText(res, status, 'text/html; charset=utf-8', text);
  if (!link) {
    req.resume();
    return html(
      404,
      messageHtml(
        'No such payment link',
        `The devserver has no payment link <code>${escapeHtml(id)}</code>.`,
      ),
    );
  }
  if (req.method === 'GET' || req.method === 'HEAD')
    return html(200, checkoutHtml(link, url.searchParams));
  const form = await paymentForm(req, res, html, 'link');
  if (!form) return;
  let result: CheckoutResult;
  try {
    result = await stripe.checkout(link.id, {
      clientReferenceId: form.get('client_reference_id'),
      email: form.get('email'),
      name: form.get('name'),
    });
  } catch (error) {
    if (!(error instanceof StripeActionError)) throw error;
    return html(error.status, messageHtml('Payment refused', escapeHtml(error.message)));
  }
  finish(res, result, html);
}

/**
 * Answers `/c/pay/<session id>`, the hosted page of a Checkout Session created with
 * `POST /v1/checkout/sessions` (its `url`, as checkout.stripe.com/c/pay/… is): `GET` shows it;
 * `POST` (its form) pays it, sends its events and redirects (303) to its `success_url`. A
 * session already paid, or unknown, gets a page that says so.
 */
export async function handleSessionPage(
  stripe: StripeService,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const id = decodeURIComponent(url.pathname.slice('/c/pay/'.length));
  const html = (status: number, text: string) =>
    sendText(res, status, 'text/html; charset=utf-8', text);
  const refused = (error: unknown) => {
    if (!(error instanceof StripeActionError)) throw error;
    const title = error.status === 404 ? 'No such Checkout Session' : 'Checkout Session closed';
    return html(error.status, messageHtml(title, escapeHtml(error.message)));
  };
  if (req.method !== 'POST') req.resume();
  let open: ReturnType<StripeService['account']['openSession']>;
  try {
    open = stripe.account.openSession(id);
  } catch (error) {
    return refused(error);
  }
  const { session, purchase } = open;
  if (req.method === 'GET' || req.method === 'HEAD') {
    const view: CheckoutView = {
      purchase,
      reference: (session.client_reference_id as string | null) ?? '',
      email: (session.customer_email as string | null) ?? 'jenny.rosen@example.com',
      webhookUrl: stripe.webhookUrl ?? null,
      kind: 'session',
    };
    return html(200, checkoutPageHtml(view, session.metadata as Record<string, string>));
  }
  const form = await paymentForm(req, res, html, 'page');
  if (!form) return;
  let result: CheckoutResult;
  try {
    result = await stripe.paySession(id, { email: form.get('email'), name: form.get('name') });
  } catch (error) {
    return refused(error);
  }
  finish(res, result, html);
}

/** After paying: to the success URL, or a confirmation when there is none. */
function finish(
  res: ServerResponse,
  result: CheckoutResult,
  html: (status: number, text: string) => void,
): void {
  if (result.redirectUrl) {
    res.writeHead(303, { Location: result.redirectUrl, 'Cache-Control': 'no-store' }).end();
    return;
  }
  const { session } = result;
  html(
    200,
    messageHtml(
      'Thanks for your order',
      `Checkout Session <code>${escapeHtml(session.id)}</code> is ${escapeHtml(String(session.payment_status))}. It has no success URL, so the buyer stays here.`,
    ),
  );
}
