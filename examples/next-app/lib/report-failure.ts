import type { DatafastError, PaymentInput } from '@datafast-checkout/next';

/**
 * Where failed reports go. Reports run after the response, so a failure can only be logged: do it
 * in a line that your log search finds. The key is never part of an error message.
 *
 * @example
 * createDatafast({ onError: logUnreported })
 */
export function logUnreported(error: DatafastError, payment?: PaymentInput): void {
  console.error(
    `[checkout] payment ${payment?.transaction_id ?? '(unknown)'} was not reported to DataFast (${error.code}): ${error.message}`,
  );
}
