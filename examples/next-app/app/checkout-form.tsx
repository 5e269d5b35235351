'use client';

import { type FormEvent, useEffect, useState } from 'react';

/**
 * Posts the order to `POST /api/checkout` and shows the answer. The button waits for the page's
 * JavaScript: without it the browser would submit the form itself, the email in its URL.
 */
export function CheckoutForm() {
  const [result, setResult] = useState('');
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);

  async function pay(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const response = await fetch('/api/checkout', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // The visitor cookie goes along by itself (same origin): no id in the body.
      body: JSON.stringify({
        amount: Number(form.get('amount')),
        currency: form.get('currency'),
        email: form.get('email') || undefined,
      }),
    });
    const body = await response.json();
    setResult(response.ok ? `Paid: ${body.transaction_id}` : `Error: ${body.error}`);
  }

  return (
    <form method="post" onSubmit={pay}>
      <input type="hidden" name="amount" value="29.99" />
      <input type="hidden" name="currency" value="USD" />
      <label>
        Email <input type="email" name="email" placeholder="you@example.com" />
      </label>{' '}
      <button type="submit" disabled={!ready}>
        Pay $29.99
      </button>
      <p>
        <output>{result}</output>
      </p>
    </form>
  );
}
