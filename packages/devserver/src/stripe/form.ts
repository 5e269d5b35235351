/**
 * A request body as the Stripe API reads it: `application/x-www-form-urlencoded` with brackets
 * for nesting (`line_items[0][price_data][currency]=usd`, `metadata[plan]=pro`), the encoding
 * stripe-node and `curl -d` send (https://docs.stripe.com/api: "accepts form-encoded request
 * bodies"). Arrays come as
 * numbered keys (`[0]`) or empty brackets (`[]`); both become JavaScript arrays.
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };

/**
 * Decodes a Stripe form body into nested objects and arrays. A key that mixes shapes
 * (`a=1&a[b]=2`) throws a `TypeError` naming it.
 *
 * @example
 * parseStripeForm('line_items[0][quantity]=1&mode=payment') // { line_items: [{ quantity: '1' }], mode: 'payment' }
 */
export function parseStripeForm(body: string): Record<string, FormValue> {
  const root: Record<string, FormValue> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = keyPath(key);
    let node: Record<string, FormValue> | FormValue[] = root;
    path.forEach((part, i) => {
      const last = i === path.length - 1;
      const slot = part === '' && Array.isArray(node) ? String(node.length) : part;
      const container = node as Record<string, FormValue>;
      if (last) {
        if (container[slot] !== undefined && typeof container[slot] !== 'string') {
          throw new TypeError(`${key} is given both as a value and as an object`);
        }
        container[slot] = value;
        return;
      }
      const nextIsIndex = /^\d*$/.test(path[i + 1] as string);
      const existing = container[slot];
      if (existing === undefined) container[slot] = nextIsIndex ? [] : {};
      else if (typeof existing === 'string') {
        throw new TypeError(`${key} is given both as a value and as an object`);
      }
      node = container[slot] as Record<string, FormValue> | FormValue[];
    });
  }
  return root;
}

/** `a[b][0]` is `['a', 'b', '0']`; `a[]` is `['a', '']`. */
function keyPath(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0) return [key];
  const parts = [key.slice(0, open)];
  for (const match of key.slice(open).matchAll(/\[([^\]]*)\]/g)) parts.push(match[1] as string);
  return parts;
}
