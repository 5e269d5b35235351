import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DevServer, startDevServer } from '../src/index.js';
import { attributeRevenue, landingSource, signedAmount } from '../src/tracker/attribution.js';
import { OTHER_VISITOR, post, VISITOR } from './helpers.js';

describe('the source of a landing', () => {
  it.each([
    ['utm_source first', 'https://shop.example/?ref=hn&utm_source=newsletter', null, 'newsletter'],
    ['then ref', 'https://shop.example/?via=x&ref=producthunt', null, 'producthunt'],
    ['then via', 'https://shop.example/?source=y&via=partner', null, 'partner'],
    ['then source', 'https://shop.example/?source=podcast', null, 'podcast'],
    ['an empty parameter is none', 'https://shop.example/?utm_source=&ref=hn', null, 'hn'],
    [
      'else the referrer host',
      'https://shop.example/',
      'https://news.ycombinator.com/item?id=1',
      'news.ycombinator.com',
    ],
    ['without www', 'https://shop.example/', 'https://www.google.com/', 'google.com'],
    ['not the site itself', 'https://shop.example/blog', 'https://www.shop.example/', 'Direct'],
    ['else Direct', 'https://shop.example/', null, 'Direct'],
  ])('%s', (_name, url, referrer, source) => {
    expect(landingSource(url, referrer).source).toBe(source);
  });

  it('takes the campaign from utm_campaign and the landing page from the path', () => {
    expect(
      landingSource('https://shop.example/pricing?utm_source=x&utm_campaign=launch#plans', null),
    ).toEqual({ source: 'x', campaign: 'launch', landing_page: '/pricing' });
    expect(landingSource('https://shop.example/', null).campaign).toBeNull();
  });
});

describe('revenue by source', () => {
  const visitors = { [VISITOR]: { source: 'newsletter', campaign: 'launch', landing_page: '/' } };
  const payment = (fields: Record<string, unknown>) => ({
    amount: 10,
    currency: 'USD',
    refunded: false,
    is_free_trial: false,
    ...fields,
  });

  it('nets refunds, counts trials as no revenue, and splits the unattributed by why', () => {
    const report = attributeRevenue(
      [
        payment({ datafast_visitor_id: VISITOR, amount: 30 }),
        payment({ datafast_visitor_id: VISITOR, amount: 5, refunded: true }),
        payment({ datafast_visitor_id: VISITOR, amount: 0, is_free_trial: true }),
        payment({ amount: 20 }),
        payment({ datafast_visitor_id: OTHER_VISITOR, amount: 10 }),
        payment({ amount: 1000, currency: 'JPY' }),
      ],
      visitors,
      signedAmount,
    );
    expect(report.bySource).toEqual([
      { key: '(unattributed)', payments: 3, net: { USD: 30, JPY: 1000 } },
      { key: 'newsletter', payments: 1, net: { USD: 25 } },
    ]);
    expect(report.byCampaign.map((row) => row.key)).toEqual(['(unattributed)', 'launch']);
    expect(report.unattributed).toEqual({
      payments: 3,
      withoutVisitor: 2,
      withoutPageview: 1,
      byCurrency: {
        USD: { unattributed: 30, total: 60, share: 0.5 },
        JPY: { unattributed: 1000, total: 1000, share: 1 },
      },
    });
  });
});

describe('the devserver', () => {
  let dev: DevServer;
  beforeAll(async () => {
    dev = await startDevServer();
  });
  afterAll(() => dev?.close());
  beforeEach(() => dev.reset());

  const pageview = (href: string, referrer?: string) =>
    fetch(`${dev.url}/api/events`, {
      method: 'POST',
      body: JSON.stringify({ type: 'pageview', href, referrer, visitorId: VISITOR }),
    });

  it('keeps each visitor’s first pageview as their source, and answers the report', async () => {
    await pageview('https://shop.example/landing?utm_source=newsletter', 'https://mail.example/');
    await pageview('https://shop.example/checkout?utm_source=ads');
    await post(dev, { transaction_id: 'p1', datafast_visitor_id: VISITOR });
    expect(dev.visitors()).toEqual([
      {
        visitor_id: VISITOR,
        source: 'newsletter',
        campaign: null,
        landing_page: '/landing',
        referrer: 'https://mail.example/',
        first_seen: expect.any(String),
      },
    ]);
    const answer = await (await fetch(`${dev.url}/__devserver/attribution`)).json();
    expect(answer.bySource).toEqual([{ key: 'newsletter', payments: 1, net: { USD: 29.99 } }]);
    const listed = await (await fetch(`${dev.url}/__devserver/visitors`)).json();
    expect(listed.visitors).toHaveLength(1);
  });
});
