import type { FormValue } from './form.js';
import { stripeId } from './ids.js';
import type { StripeObject } from './objects.js';
import type { Purchase } from './purchase.js';
import type { StripeStore } from './store.js';

// The parameters of `POST /v1/checkout/sessions` and `POST /v1/prices` the stand-in takes, read
// and checked as Stripe does, after https://docs.stripe.com/api/checkout/sessions/create and
// https://docs.stripe.com/api/prices/create (line items: https://docs.stripe.com/api/checkout/sessions/line_items).
// What the stand-in can not do (setup mode, several billing intervals) is refused by name,
// never ignored.

/** A parameter Stripe would refuse: a 400 `invalid_request_error` naming `param`. */
export class StripeParamError extends Error {
  override name = 'StripeParamError';
  constructor(
    readonly param: string,
    message: string,
    readonly code:
      | 'parameter_missing'
      | 'parameter_invalid_empty'
      | 'parameter_unknown'
      | undefined = undefined,
  ) {
    super(message);
  }
}

/** A Checkout Session to create, checked. */
export interface SessionParams {
  mode: 'payment' | 'subscription';
  purchase: Purchase;
  /** Stripe's `item` objects, as `GET /v1/checkout/sessions/:id/line_items` lists them. */
  lineItems: StripeObject[];
  successUrl: string | null;
  cancelUrl: string | null;
  clientReferenceId: string | null;
  customerEmail: string | null;
  metadata: Record<string, string>;
  paymentMethodTypes: string[];
}

type Form = Record<string, FormValue>;

const missing = (param: string) =>
  new StripeParamError(param, `Missing required param: ${param}.`, 'parameter_missing');
const invalid = (param: string, why: string) =>
  new StripeParamError(param, `Invalid ${param}: ${why}`);

function text(form: Form, param: string, path = param): string | undefined {
  const value = form[param];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(path, 'must be a string');
  return value;
}

function record(value: FormValue | undefined, param: string): Form {
  if (value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(param, `must be an object (\`${param}[key]=value\`)`);
  }
  return value;
}

/** Stripe's metadata: at most 50 keys of 40 characters, values of 500. */
function metadata(value: FormValue | undefined, param: string): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = Object.entries(record(value, param));
  if (entries.length > 50) throw invalid(param, 'can have at most 50 keys');
  for (const [key, item] of entries) {
    if (typeof item !== 'string') throw invalid(`${param}[${key}]`, 'must be a string');
    if (key.length > 40) throw invalid(`${param}[${key}]`, 'keys can be at most 40 characters');
    if (item.length > 500)
      throw invalid(`${param}[${key}]`, 'values can be at most 500 characters');
    if (item !== '') out[key] = item; // Stripe unsets a key given an empty value
  }
  return out;
}

function wholeNumber(value: FormValue | undefined, param: string, min: number, max: number) {
  if (typeof value !== 'string' || !/^\d+$/.test(value)) throw invalid(param, 'must be an integer');
  const n = Number(value);
  if (n < min || n > max) throw invalid(param, `must be from ${min} to ${max}`);
  return n;
}

function url(form: Form, param: string): string | null {
  const value = text(form, param);
  if (value === undefined || value === '') return null;
  let parsed: URL | undefined;
  try {
    parsed = new URL(value.replaceAll('{CHECKOUT_SESSION_ID}', 'cs'));
  } catch {
    parsed = undefined;
  }
  if (!parsed || !/^https?:$/.test(parsed.protocol)) throw invalid(param, 'Not a valid URL');
  return value;
}

/** The Price of `price_data`, or of a `POST /v1/prices` body: stored, with its Product. */
export function createPrice(store: StripeStore, data: Form, param: string): StripeObject {
  // `price_data[currency]` inside a line item, plain `currency` for `POST /v1/prices`.
  const at = (name: string) => (param ? `${param}[${name}]` : name);
  const currency = data.currency;
  if (currency === undefined) throw missing(at('currency'));
  if (typeof currency !== 'string' || !/^[a-z]{3}$/i.test(currency)) {
    throw invalid(at('currency'), 'must be a three-letter ISO currency code, such as usd');
  }
  if (data.unit_amount === undefined) throw missing(at('unit_amount'));
  const unitAmount = wholeNumber(data.unit_amount, at('unit_amount'), 0, 99_999_999);
  let product: StripeObject | undefined;
  if (typeof data.product === 'string') {
    product = store.get(data.product);
    if (product?.object !== 'product')
      throw invalid(at('product'), `No such product: '${data.product}'`);
  } else {
    const name = record(data.product_data, at('product_data')).name;
    if (typeof name !== 'string' || name.trim() === '')
      throw missing(`${at('product_data')}[name]`);
    product = {
      id: stripeId('prod'),
      object: 'product',
      active: true,
      created: now(),
      livemode: false,
      metadata: {},
      name,
    };
    store.put(product);
  }
  let recurring: { interval: 'month' | 'year'; interval_count: 1 } | null = null;
  if (data.recurring !== undefined) {
    const interval = record(data.recurring, at('recurring')).interval;
    if (interval === undefined) throw missing(`${at('recurring')}[interval]`);
    if (interval !== 'month' && interval !== 'year') {
      throw invalid(`${at('recurring')}[interval]`, 'the stand-in bills every month or year');
    }
    recurring = { interval, interval_count: 1 };
  }
  const price: StripeObject = {
    id: stripeId('price'),
    object: 'price',
    active: true,
    created: now(),
    currency: currency.toLowerCase(),
    livemode: false,
    metadata: {},
    product: product.id,
    recurring,
    type: recurring ? 'recurring' : 'one_time',
    unit_amount: unitAmount,
  };
  store.put(price);
  return price;
}

const now = () => Math.floor(Date.now() / 1000);

/** One line item: an existing `price`, or `price_data`; `quantity` (default 1). */
function lineItem(store: StripeStore, raw: FormValue, param: string): StripeObject {
  const item = record(raw, param);
  let price: StripeObject | undefined;
  if (typeof item.price === 'string') {
    price = store.get(item.price);
    if (price?.object !== 'price')
      throw invalid(`${param}[price]`, `No such price: '${item.price}'`);
  } else if (item.price_data !== undefined) {
    price = createPrice(
      store,
      record(item.price_data, `${param}[price_data]`),
      `${param}[price_data]`,
    );
  } else {
    throw new StripeParamError(
      param,
      `You must specify either \`price\` or \`price_data\` in ${param}.`,
    );
  }
  const quantity =
    item.quantity === undefined ? 1 : wholeNumber(item.quantity, `${param}[quantity]`, 1, 999_999);
  const product = store.get(price.product as string);
  const total = (price.unit_amount as number) * quantity;
  return {
    id: stripeId('li'),
    object: 'item',
    amount_discount: 0,
    amount_subtotal: total,
    amount_tax: 0,
    amount_total: total,
    currency: price.currency,
    description: (product?.name as string | undefined) ?? null,
    price,
    quantity,
  };
}

/**
 * Reads the parameters of `POST /v1/checkout/sessions`: `mode`, `line_items` (`price` or
 * `price_data`, `quantity`), `success_url` (with `{CHECKOUT_SESSION_ID}`), `cancel_url`,
 * `client_reference_id`, `customer_email`, `metadata`, `payment_intent_data[metadata]`,
 * `subscription_data[metadata]` and `[trial_period_days]`, `payment_method_types`. Throws a
 * {@link StripeParamError} naming the parameter, as Stripe answers 400.
 */
export function parseSessionParams(store: StripeStore, form: Form): SessionParams {
  const mode = text(form, 'mode');
  if (mode === undefined) throw missing('mode');
  if (mode !== 'payment' && mode !== 'subscription') {
    throw invalid(
      'mode',
      `the stand-in creates \`payment\` and \`subscription\` sessions, not \`${mode}\``,
    );
  }
  const raw = form.line_items;
  if (raw === undefined) throw missing('line_items');
  const list = Array.isArray(raw) ? raw : typeof raw === 'object' ? Object.values(raw) : [raw];
  if (list.length === 0) throw missing('line_items');
  const lineItems = list.map((item, i) => lineItem(store, item, `line_items[${i}]`));
  const prices = lineItems.map((item) => item.price as StripeObject);
  const currency = prices[0]?.currency as string;
  if (prices.some((p) => p.currency !== currency)) {
    throw invalid('line_items', 'every line item must have the same currency');
  }
  const intervals = new Set(
    prices.map((p) => (p.recurring as { interval: string } | null)?.interval ?? 'once'),
  );
  if (mode === 'payment' && !intervals.has('once')) {
    throw invalid(
      'line_items',
      'You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.',
    );
  }
  if (mode === 'payment' && intervals.size > 1) {
    throw invalid('line_items', 'You specified `payment` mode but passed a recurring price.');
  }
  if (mode === 'subscription' && (intervals.has('once') || intervals.size > 1)) {
    throw invalid(
      'line_items',
      'You must provide at least one recurring price in `subscription` mode, and the stand-in bills all of them at one interval.',
    );
  }
  const paymentIntentData = record(form.payment_intent_data, 'payment_intent_data');
  const subscriptionData = record(form.subscription_data, 'subscription_data');
  if (mode !== 'payment' && form.payment_intent_data !== undefined) {
    throw invalid(
      'payment_intent_data',
      'You can not pass `payment_intent_data` in `subscription` mode.',
    );
  }
  if (mode !== 'subscription' && form.subscription_data !== undefined) {
    throw invalid(
      'subscription_data',
      'You can only pass `subscription_data` in `subscription` mode.',
    );
  }
  const trialDays =
    subscriptionData.trial_period_days === undefined
      ? 0
      : wholeNumber(
          subscriptionData.trial_period_days,
          'subscription_data[trial_period_days]',
          1,
          730,
        );
  const methods = form.payment_method_types === undefined ? ['card'] : form.payment_method_types;
  if (
    !Array.isArray(methods) ||
    methods.length !== 1 ||
    (methods[0] !== 'card' && methods[0] !== 'sepa_debit')
  ) {
    throw invalid('payment_method_types', 'the stand-in takes one of `card` or `sepa_debit`');
  }
  const reference = text(form, 'client_reference_id');
  if (reference !== undefined && reference.length > 200) {
    throw invalid('client_reference_id', 'can be at most 200 characters');
  }
  const email = text(form, 'customer_email');
  if (email !== undefined && !/^[^\s@]+@[^\s@]+$/.test(email))
    throw invalid('customer_email', 'Invalid email address');
  const names = lineItems.map((item) => item.description ?? 'Item');
  return {
    mode,
    purchase: {
      name: names.length > 1 ? `${names[0]} and ${names.length - 1} more` : (names[0] as string),
      unitAmount: lineItems.reduce((sum, item) => sum + (item.amount_total as number), 0),
      currency,
      interval: [...intervals][0] as Purchase['interval'],
      trialDays,
      paymentMethod: methods[0] as Purchase['paymentMethod'],
      paymentIntentMetadata: metadata(paymentIntentData.metadata, 'payment_intent_data[metadata]'),
      subscriptionMetadata: metadata(subscriptionData.metadata, 'subscription_data[metadata]'),
    },
    lineItems,
    successUrl: url(form, 'success_url'),
    cancelUrl: url(form, 'cancel_url'),
    clientReferenceId: reference || null,
    customerEmail: email || null,
    metadata: metadata(form.metadata, 'metadata'),
    paymentMethodTypes: methods as string[],
  };
}
