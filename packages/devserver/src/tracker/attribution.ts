// Revenue by source: where each visitor came from, by the first pageview the stand-in tracker
// sent for them (the landing), and the payments credited to it. DataFast's API pages say revenue
// is "attributed to marketing channels" through `datafast_visitor_id`
// (https://datafa.st/docs/api/website/payments/create); the rule for a landing's source is the
// one analytics tools share and that this project's issue 12 fixes: the landing URL's
// `utm_source`, `ref`, `via` or `source` parameter, else the referring site's host (not the
// site's own), else "Direct".

/** The landing URL's parameters that name a source, strongest first. */
export const SOURCE_PARAMS = ['utm_source', 'ref', 'via', 'source'] as const;

/** Where a visitor came from, by their first pageview. */
export interface VisitorSource {
  visitor_id: string;
  /** `utm_source`, `ref`, `via` or `source` of the landing URL; else the referrer's host; else `Direct`. */
  source: string;
  /** `utm_campaign` of the landing URL, or `null`. */
  campaign: string | null;
  /** The landing page's path, such as `/pricing`. */
  landing_page: string;
  /** The first pageview's referrer, or `null`. */
  referrer: string | null;
  /** When the first pageview arrived. */
  first_seen: string;
}

const host = (url: string) => {
  try {
    return new URL(url).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return '';
  }
};

/**
 * The source, campaign and landing page of a first pageview.
 *
 * @example
 * landingSource('https://shop.example/?utm_source=newsletter', null) // { source: 'newsletter', campaign: null, landing_page: '/' }
 */
export function landingSource(
  url: string,
  referrer: string | null,
): Pick<VisitorSource, 'source' | 'campaign' | 'landing_page'> {
  let landing: URL;
  try {
    landing = new URL(url);
  } catch {
    return { source: 'Direct', campaign: null, landing_page: url };
  }
  const param = (name: string) => landing.searchParams.get(name)?.trim().slice(0, 100) || null;
  const named = SOURCE_PARAMS.map(param).find((value) => value !== null);
  const referred = referrer ? host(referrer) : '';
  // A referrer on the site itself is a visit that began elsewhere (or was lost), not a source.
  const external = referred && referred !== host(url) ? referred : null;
  return {
    source: named ?? external ?? 'Direct',
    campaign: param('utm_campaign'),
    landing_page: landing.pathname,
  };
}

/** A payment as the revenue report reads it (a stored payment record has these fields). */
export interface RevenuePayment {
  amount: number;
  currency: string;
  refunded: boolean;
  is_free_trial: boolean;
  datafast_visitor_id?: string;
}

/** One row of a revenue table: payments counted and net revenue by currency. */
export interface RevenueRow {
  key: string;
  /** Payments and renewals (refunds and trials bring no revenue of their own). */
  payments: number;
  net: Record<string, number>;
}

/**
 * Revenue by source, campaign and landing page, and how much arrived unattributed: without a
 * visitor id, or with one the tracker never saw (the cookie reached the server, the pageviews
 * did not). The `(unattributed)` row holds both.
 */
export interface AttributionReport {
  bySource: RevenueRow[];
  byCampaign: RevenueRow[];
  byLandingPage: RevenueRow[];
  unattributed: {
    payments: number;
    withoutVisitor: number;
    withoutPageview: number;
    /** Gross revenue (payments and renewals) by currency: unattributed, total and the share. */
    byCurrency: Record<string, { unattributed: number; total: number; share: number }>;
  };
}

/**
 * Credits each payment to its visitor's source, campaign and landing page. Self-contained: the
 * dashboard runs it in the browser on the payments it shows; `dev.attribution()` on all.
 *
 * @example
 * attributeRevenue(dev.payments(), visitors, signedAmount).bySource[0] // { key: 'newsletter', payments: 1, net: { USD: 29.99 } }
 */
export function attributeRevenue(
  payments: RevenuePayment[],
  visitors: Record<string, Pick<VisitorSource, 'source' | 'campaign' | 'landing_page'>>,
  signed: (payment: RevenuePayment) => number,
): AttributionReport {
  const UNATTRIBUTED = '(unattributed)';
  const tables = { bySource: new Map(), byCampaign: new Map(), byLandingPage: new Map() } as Record<
    'bySource' | 'byCampaign' | 'byLandingPage',
    Map<string, RevenueRow>
  >;
  const unattributed: AttributionReport['unattributed'] = {
    payments: 0,
    withoutVisitor: 0,
    withoutPageview: 0,
    byCurrency: {},
  };
  for (const p of payments) {
    const brings = !p.refunded && !p.is_free_trial;
    const visitor = p.datafast_visitor_id ? visitors[p.datafast_visitor_id] : undefined;
    const keys = {
      bySource: visitor?.source ?? UNATTRIBUTED,
      byCampaign: visitor ? (visitor.campaign ?? '(none)') : UNATTRIBUTED,
      byLandingPage: visitor?.landing_page ?? UNATTRIBUTED,
    };
    for (const table of ['bySource', 'byCampaign', 'byLandingPage'] as const) {
      const key = keys[table];
      const row = tables[table].get(key) ?? { key, payments: 0, net: {} };
      if (brings) row.payments += 1;
      row.net[p.currency] = (row.net[p.currency] ?? 0) + signed(p);
      tables[table].set(key, row);
    }
    if (!brings) continue;
    const share = unattributed.byCurrency[p.currency] ?? { unattributed: 0, total: 0, share: 0 };
    share.total += p.amount;
    if (!visitor) {
      share.unattributed += p.amount;
      unattributed.payments += 1;
      if (p.datafast_visitor_id) unattributed.withoutPageview += 1;
      else unattributed.withoutVisitor += 1;
    }
    share.share = share.total > 0 ? share.unattributed / share.total : 0;
    unattributed.byCurrency[p.currency] = share;
  }
  const total = (row: RevenueRow) => Object.values(row.net).reduce((a, b) => a + b, 0);
  const sorted = (rows: Map<string, RevenueRow>) =>
    [...rows.values()].sort((a, b) => total(b) - total(a) || a.key.localeCompare(b.key));
  return {
    bySource: sorted(tables.bySource),
    byCampaign: sorted(tables.byCampaign),
    byLandingPage: sorted(tables.byLandingPage),
    unattributed,
  };
}

/**
 * A payment's effect on revenue: refunds take their amount away, trials bring none.
 * Self-contained: the dashboard runs it in the browser too.
 *
 * @example
 * signedAmount({ amount: 10, refunded: true, is_free_trial: false }) // -10
 */
export function signedAmount(p: { amount: number; refunded: boolean; is_free_trial: boolean }) {
  return p.refunded ? -p.amount : p.is_free_trial ? 0 : p.amount;
}
