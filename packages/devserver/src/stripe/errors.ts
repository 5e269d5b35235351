/**
 * An action the stand-in refuses: an unknown id (404) or one in the wrong state (409), or bad
 * input (400). The control endpoints answer its status with the error envelope.
 */
export class StripeActionError extends Error {
  override name = 'StripeActionError';
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}
