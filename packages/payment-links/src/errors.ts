import type { PaymentInput } from '@datafast-checkout/core';

/** A signature that does not verify: answered 400, nothing reported. */
export class WebhookSignatureError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WebhookSignatureError';
  }
}

/** A verified body that is not the JSON object the provider documents: answered 400. */
export class WebhookPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookPayloadError';
  }
}

/**
 * The handler cannot work as configured (no secret, provider SDK missing, a provider API key
 * refused, a website route that names no configured website): answered 503.
 */
export class WebhookConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookConfigError';
  }
}

/**
 * A provider-API lookup (a refund's visitor, a renewal's amount) that failed for a reason that
 * will likely pass (a timeout, 429, 5xx): the webhook answers 503 so that the provider redelivers
 * the event, rather than recording the payment without its visitor for good. `payment` is the
 * payment it was for, when there is one yet.
 */
export class ProviderLookupError extends Error {
  constructor(
    message: string,
    readonly payment?: PaymentInput,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProviderLookupError';
  }
}
