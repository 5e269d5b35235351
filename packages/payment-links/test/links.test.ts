import { sessionCookie, visitor } from '@datafast-checkout/testing';
import { describe, expect, it } from 'vitest';
import { withCreemMetadata } from '../src/creem/index.js';
import { withDodoMetadata } from '../src/dodo/index.js';
import { checkoutMetadata } from '../src/index.js';
import { withLemonSqueezyCustomData } from '../src/lemonsqueezy/index.js';
import { withQueryParam } from '../src/link.js';
import { withPolarReferenceId } from '../src/polar/index.js';
import { checkoutSessionParams, withClientReferenceId } from '../src/stripe/index.js';

const link = 'https://buy.stripe.com/test_8wM5lT0cI';

describe('withClientReferenceId', () => {
  it.each([
    [link, `${link}?client_reference_id=${visitor}`],
    [
      `${link}?prefilled_email=jenny%40example.com&utm_source=x+y`,
      `${link}?prefilled_email=jenny%40example.com&utm_source=x+y&client_reference_id=${visitor}`,
    ],
    [`${link}#pricing`, `${link}?client_reference_id=${visitor}#pricing`],
    [`${link}?locale=fr#a?b`, `${link}?locale=fr&client_reference_id=${visitor}#a?b`],
    [`${link}?`, `${link}?client_reference_id=${visitor}`],
    // A custom payment-link domain is still a payment link: the caller decides.
    [
      'https://pay.example.com/b/abc',
      `https://pay.example.com/b/abc?client_reference_id=${visitor}`,
    ],
  ])('adds the visitor to %s, keeping everything else', (url, expected) => {
    expect(withClientReferenceId(url, visitor)).toBe(expected);
  });

  it('normalises the visitor id to lower case', () => {
    expect(withClientReferenceId(link, visitor.toUpperCase())).toBe(
      `${link}?client_reference_id=${visitor}`,
    );
  });

  it.each([
    ['an existing value (an affiliate tool’s)', `${link}?client_reference_id=rewardful_123`],
    ['an existing empty value', `${link}?client_reference_id=`],
    ['a relative URL', '/b/test_123'],
    ['a non-http URL', 'mailto:sales@example.com'],
    ['garbage', 'not a url'],
  ])('leaves %s unchanged', (_what, url) => {
    expect(withClientReferenceId(url, visitor)).toBe(url);
  });

  it.each([undefined, null, '', 'not-a-uuid', `${visitor}x`, "'; DROP"])(
    'adds nothing for the invalid visitor id %j',
    (id) => {
      expect(withClientReferenceId(link, id)).toBe(link);
    },
  );

  it('encodes parameter names and values it adds (other providers use bracketed names)', () => {
    expect(
      withQueryParam(
        'https://x.lemonsqueezy.com/buy/1',
        'checkout[custom][datafast_visitor_id]',
        visitor,
      ),
    ).toBe(
      `https://x.lemonsqueezy.com/buy/1?checkout%5Bcustom%5D%5Bdatafast_visitor_id%5D=${visitor}`,
    );
  });
});

describe('checkoutSessionParams', () => {
  const cookies = `datafast_visitor_id=${visitor}; datafast_session_id=${sessionCookie}`;
  const request = new Request('https://shop.example/api/checkout', {
    headers: { cookie: cookies },
  });

  it('carries visitor and session ids on the session and its PaymentIntent in payment mode', () => {
    const metadata = { datafast_visitor_id: visitor, datafast_session_id: sessionCookie };
    expect(checkoutSessionParams(request)).toEqual({ metadata, payment_intent_data: { metadata } });
  });

  it('carries them to the subscription in subscription mode, so renewals are attributed', () => {
    const metadata = { datafast_visitor_id: visitor, datafast_session_id: sessionCookie };
    expect(checkoutSessionParams(cookies, 'subscription')).toEqual({
      metadata,
      subscription_data: { metadata },
    });
  });

  it('is empty without DataFast cookies, and skips an invalid one', () => {
    expect(checkoutSessionParams(new Request('https://shop.example/'))).toEqual({});
    expect(
      checkoutSessionParams(`datafast_visitor_id=nope; datafast_session_id=${sessionCookie}`),
    ).toEqual({
      metadata: { datafast_session_id: sessionCookie },
      payment_intent_data: { metadata: { datafast_session_id: sessionCookie } },
    });
  });

  it('type-checks against stripe’s own session parameters', () => {
    // Compile-time: spreading the result into SessionCreateParams is accepted by stripe's types.
    type Params = import('stripe').Stripe.Checkout.SessionCreateParams;
    const params: Params = {
      mode: 'subscription',
      ...checkoutSessionParams(request, 'subscription'),
    };
    expect(params.mode).toBe('subscription');
  });
});

describe.each([
  {
    helper: withLemonSqueezyCustomData,
    link: 'https://acme.lemonsqueezy.com/buy/0c2f?checkout[email]=ada%40example.com',
    param: 'checkout[custom][datafast_visitor_id]',
  },
  {
    helper: withPolarReferenceId,
    link: 'https://buy.polar.sh/polar_cl_4Jm2?utm_source=x',
    param: 'reference_id',
  },
  {
    helper: withCreemMetadata,
    link: 'https://www.creem.io/test/payment/prod_6tW?theme=dark',
    param: 'metadata[datafast_visitor_id]',
  },
  {
    helper: withDodoMetadata,
    link: 'https://checkout.dodopayments.com/buy/pdt_C?quantity=1&redirect_url=https%3A%2F%2Fshop.example%2Fthanks',
    param: 'metadata_datafast_visitor_id',
  },
])('$helper.name', ({ helper, link, param }) => {
  it('adds the visitor under the provider’s parameter, keeping the other parameters and the fragment', () => {
    const decorated = helper(`${link}#plans`, visitor.toUpperCase());
    expect(decorated.startsWith(`${link}&`)).toBe(true);
    expect(decorated.endsWith('#plans')).toBe(true);
    const parsed = new URL(decorated);
    expect(parsed.searchParams.get(param)).toBe(visitor);
    expect([...new URL(link).searchParams]).toEqual([...parsed.searchParams].slice(0, -1));
  });

  it('keeps a value already there (even empty), and leaves relative, non-http and invalid input alone', () => {
    const existing = `${link}&${encodeURIComponent(param)}=partner_42`;
    for (const url of [
      existing,
      `${link}&${encodeURIComponent(param)}=`,
      '/buy/1',
      'mailto:x@example.com',
    ]) {
      expect(helper(url, visitor)).toBe(url);
    }
    for (const id of [undefined, null, '', 'not-a-uuid']) expect(helper(link, id)).toBe(link);
  });
});

describe('checkoutMetadata', () => {
  it('gives any provider’s metadata the visitor and session ids, and nothing without cookies', () => {
    const cookie = `datafast_visitor_id=${visitor}; datafast_session_id=${sessionCookie}`;
    expect(checkoutMetadata(cookie)).toEqual({
      datafast_visitor_id: visitor,
      datafast_session_id: sessionCookie,
    });
    expect(checkoutMetadata(new Request('https://shop.example/'))).toEqual({});
  });
});
