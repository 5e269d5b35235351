import type { StripeAccount } from './account.js';
import type { EventLog, EventRecord } from './deliveries.js';
import type { PublicPaymentLink } from './links.js';
import type { StripeObject } from './objects.js';
import { paymentsOf } from './relations.js';
import { idOf } from './store.js';

/** A checkout as the dashboard lists it, with what can be done to it. */
export interface SessionSummary {
  id: string;
  created: number;
  link_id: string | null;
  name: string;
  mode: string;
  amount_total: number;
  currency: string;
  payment_status: string;
  client_reference_id: string | null;
  email: string | null;
  subscription: string | null;
  /** Its payments (the first, then each renewal), refundable while `refunded < amount`. */
  payments: { id: string; amount: number; refunded: number; status: string }[];
  /** Events held for this session. */
  pending: number;
  /** An asynchronous payment waiting to settle. */
  settleable: boolean;
}

/** What the dashboard's Stripe panel shows: no secrets. */
export interface StripeSummary {
  hold: boolean;
  links: PublicPaymentLink[];
  sessions: SessionSummary[];
  events: (Omit<EventRecord, 'event'> & { id: string; type: string; created: number })[];
}

/** Keeps the dashboard's lists short, however long the session. */
const SHOWN = { sessions: 50, events: 100 };

/**
 * The dashboard's view of the stand-in: links, the latest checkouts and events, no secrets.
 *
 * @example
 * stripeSummary(account, eventLog, service.paymentLinks()).sessions[0]?.payment_status // 'paid'
 */
export function stripeSummary(
  account: StripeAccount,
  eventLog: EventLog,
  links: PublicPaymentLink[],
): StripeSummary {
  const sessions = account.sessions().slice(0, SHOWN.sessions);
  const records = eventLog.list();
  return {
    hold: eventLog.hold,
    links,
    sessions: sessions.map((session) => summarize(account, session, records)),
    events: records.slice(-SHOWN.events).map(({ event, ...record }) => ({
      id: event.id,
      type: event.type as string,
      created: event.created as number,
      ...record,
    })),
  };
}

function summarize(
  account: StripeAccount,
  session: StripeObject,
  records: EventRecord[],
): SessionSummary {
  const linkId = idOf(session.payment_link) ?? null;
  const details = session.customer_details as { email?: string | null } | null;
  const payments = paymentsOf(account.store, session).map((paymentIntent) => {
    const charge = account.store.get(idOf(paymentIntent.latest_charge) ?? '');
    return {
      id: paymentIntent.id,
      amount: paymentIntent.amount as number,
      refunded: (charge?.amount_refunded as number | undefined) ?? 0,
      status: paymentIntent.status as string,
    };
  });
  return {
    id: session.id,
    created: session.created as number,
    link_id: linkId,
    name:
      (linkId && account.link(linkId)?.name) ||
      linkId ||
      (session.line_items as { data?: { description?: string }[] } | undefined)?.data?.[0]
        ?.description ||
      '(no link)',
    mode: session.mode as string,
    amount_total: session.amount_total as number,
    currency: session.currency as string,
    payment_status: session.payment_status as string,
    client_reference_id: (session.client_reference_id as string | null) ?? null,
    email: details?.email ?? null,
    subscription: idOf(session.subscription) ?? null,
    payments,
    pending: records.filter((r) => r.session_id === session.id && r.status === 'pending').length,
    settleable:
      session.payment_status === 'unpaid' && payments.some((p) => p.status === 'processing'),
  };
}
