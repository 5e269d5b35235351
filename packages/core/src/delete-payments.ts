import type { TransportConfig } from './config.js';
import { buildDeleteQuery, type DeleteFilter } from './delete-filter.js';
import { DatafastApiError } from './errors.js';
import { type RequestOptions, sendRequest } from './transport.js';
import type { DeletePaymentResult } from './types.js';

/**
 * `payments.delete`, loaded by the first delete (a reporting app never pays for it): validates
 * the filter, then sends it. `transport` is the client's, or `undefined` while it is disabled
 * (then nothing is sent).
 *
 * @example
 * await deletePayments({ transaction_id: 'pi_1' }, () => config.transport) // [{ message, transaction_id }]
 */
export async function deletePayments(
  filter: DeleteFilter,
  transport: () => TransportConfig | undefined,
  requestOptions?: RequestOptions,
): Promise<DeletePaymentResult[]> {
  const query = buildDeleteQuery(filter);
  const config = transport();
  if (!config) return [];
  try {
    const { json } = await sendRequest(config, 'DELETE', query, undefined, requestOptions);
    return Array.isArray(json.data) ? (json.data as DeletePaymentResult[]) : [];
  } catch (error) {
    // An earlier attempt whose answer was lost (a reset, a timeout, a 5xx from a proxy) most
    // likely deleted the transaction; its retry then finds nothing. The goal is reached.
    if (
      query.transaction_id !== undefined &&
      error instanceof DatafastApiError &&
      error.status === 404 &&
      error.attempts > 1
    ) {
      return [
        {
          message: `Not found on attempt ${error.attempts}: an earlier attempt whose answer was lost most likely deleted it`,
          transaction_id: query.transaction_id,
        },
      ];
    }
    throw error;
  }
}
