import { createBackgroundFront } from './background-front.js';
import { type ClientConfig, envFlag, readEnv, resolveClientConfig } from './config.js';
import type { DeleteFilter } from './delete-filter.js';
import { DatafastError, describeId, describeValue, isDatafastError, messageOf } from './errors.js';
import { createLog } from './log.js';
import type { DatafastOptions } from './options.js';
import { buildPaymentBody, type PaymentBody, type PaymentInput } from './payload.js';
import type { RequestOptions } from './transport.js';
import type {
  BoundDatafast,
  CreatePaymentResult,
  Datafast,
  DeletePaymentResult,
  TrackOptions,
} from './types.js';
import { VERSION } from './version.js';
import { getVisitorId, missingVisitorReason, normalizeVisitorId } from './visitor.js';

/** Marks clients made here, so adapters recognise one from any copy of this package. */
export const clientBrand = Symbol.for('@datafast-checkout/core.client');

/**
 * Creates a DataFast payments client. Options default to the environment (`DATAFAST_API_KEY`,
 * `DATAFAST_WEBSITE_ID`, `DATAFAST_BASE_URL`); configuration errors surface at the first call,
 * never at import.
 *
 * @example
 * const datafast = createDatafast()
 * datafast.track({ amount: 29.99, currency: 'USD', transaction_id: 'pi_123', datafast_visitor_id })
 */
export function createDatafast(options: DatafastOptions = {}): Datafast {
  const enabled = options.enabled !== false;
  let resolved: ClientConfig | undefined;
  const log = createLog(
    options.logger ?? console,
    () => options.debug ?? envFlag(readEnv().DATAFAST_DEBUG),
  );
  const { warn, warnOnce, debug } = log;

  // Every option is resolved once, at the first call, so that a missing key never breaks an
  // import and env set after import (dotenv, test setup) is honoured. Cached once valid.
  function config(): ClientConfig {
    resolved ??= resolveClientConfig(options, warnOnce, `@datafast-checkout/core/${VERSION}`);
    return resolved;
  }

  function report(error: unknown, payment: PaymentInput | undefined): void {
    const failure = asDatafastError(error);
    try {
      if (options.onError) options.onError(failure, payment);
      else {
        const id = (payment as { transaction_id?: unknown } | undefined)?.transaction_id;
        log.error(`payment ${describeValue(id)} was not reported to DataFast: ${failure.message}`);
      }
    } catch (thrown) {
      log.error(`onError threw: ${messageOf(thrown)}`);
    }
  }

  function checkedBody(input: PaymentInput, unattributed: Unattributed): PaymentBody {
    const body = buildPaymentBody(input, warn);
    if (body.datafast_visitor_id === undefined) {
      debug(
        () =>
          `payment ${describeId(body.transaction_id)} goes out unattributed: ${unattributed?.() ?? why(input)}`,
      );
    }
    return body;
  }

  async function create(
    input: PaymentInput,
    requestOptions?: RequestOptions,
    unattributed?: Unattributed,
  ): Promise<CreatePaymentResult> {
    const body = checkedBody(input, unattributed);
    if (!enabled) {
      noteDisabled();
      return {
        message: 'Not sent: DataFast reporting is disabled',
        transaction_id: body.transaction_id,
      };
    }
    // The transport loads with the delivery engine's chunk: an app pays for it once it reports.
    const { sendRequest } = await import('./transport.js');
    const { json } = await sendRequest(config().transport, 'POST', {}, body, requestOptions);
    return {
      message: typeof json.message === 'string' ? json.message : '',
      transaction_id:
        typeof json.transaction_id === 'string' ? json.transaction_id : body.transaction_id,
    };
  }

  async function remove(
    filter: DeleteFilter,
    requestOptions?: RequestOptions,
  ): Promise<DeletePaymentResult[]> {
    // Loaded by the first delete: a reporting app never pays for the filter or the request.
    const { deletePayments } = await import('./delete-payments.js');
    const transport = () => {
      if (enabled) return config().transport;
      noteDisabled();
      return undefined;
    };
    return deletePayments(filter, transport, requestOptions);
  }

  const background = createBackgroundFront({
    outbox: options.outbox,
    waitUntil: options.waitUntil,
    config,
    report,
    log,
  });

  function track(
    input: PaymentInput,
    trackOptions?: TrackOptions,
    unattributed?: Unattributed,
  ): void {
    let body: PaymentBody;
    try {
      body = checkedBody(input, unattributed);
      if (!enabled) {
        noteDisabled();
        return;
      }
      config();
    } catch (error) {
      report(error, input);
      return;
    }
    background.enqueue(
      { id: body.transaction_id, body, createdAt: Date.now() },
      input,
      trackOptions?.waitUntil,
    );
  }

  /** The payment with the bound visitor filled in, unless it names one itself. */
  function withVisitor(input: PaymentInput, boundId: string | undefined): PaymentInput {
    if (boundId === undefined || typeof input !== 'object' || input === null) return input;
    const explicit = input.datafast_visitor_id;
    // null: deliberately unattributed. A valid id: the caller knows better than the cookie.
    if (explicit === null || normalizeVisitorId(explicit) !== undefined) return input;
    if (explicit !== undefined && explicit !== '') {
      warn(
        `datafast_visitor_id ${describeValue(explicit)} is not a UUID: payment ${describeValue(input.transaction_id)} keeps the request's visitor instead`,
      );
    }
    return { ...input, datafast_visitor_id: boundId };
  }

  const flush = (timeoutMs?: number) => background.flush(timeoutMs);

  // Adapters bind a client on every request: this allocates the returned object and its two
  // closures, nothing more (`boundId` is already normalized).
  function bind(
    boundId: string | undefined,
    bindOptions: TrackOptions | undefined,
    unattributed: Unattributed,
  ): BoundDatafast {
    const reason = boundId === undefined ? unattributed : undefined;
    const waitUntil = bindOptions?.waitUntil;
    return {
      visitorId: boundId,
      track: (input, trackOptions) =>
        track(
          withVisitor(input, boundId),
          // The call's waitUntil, else the binding's (a new options object only then).
          trackOptions?.waitUntil || !waitUntil ? trackOptions : { waitUntil },
          reason,
        ),
      payments: {
        create: (input, requestOptions) =>
          create(withVisitor(input, boundId), requestOptions, reason),
      },
      flush,
    };
  }

  function noteDisabled(): void {
    warnOnce('disabled', 'disabled (enabled: false): payments are validated but not sent');
  }

  const client: Datafast = {
    payments: { create: (input, requestOptions) => create(input, requestOptions), delete: remove },
    track: (input, trackOptions) => track(input, trackOptions),
    flush,
    shutdown: (timeoutMs = 5_000) => background.shutdown(timeoutMs),
    // Runs on every request of an adapter: the cookie is read once, and why a request has no
    // visitor is worked out only if one of its payments is logged going out unattributed.
    forRequest: (source, bindOptions) => {
      const visitorId = getVisitorId(source);
      const reason = visitorId ? undefined : () => missingVisitorReason(source) ?? '';
      return bind(visitorId, bindOptions, reason);
    },
    forVisitor: (visitorId, bindOptions) => {
      const boundId = normalizeVisitorId(visitorId);
      return bind(boundId, bindOptions, boundId ? undefined : () => unboundReason(visitorId));
    },
    drain: (drainOptions) => {
      if (!enabled) {
        noteDisabled();
        return Promise.resolve({ delivered: 0, retried: 0, gaveUp: 0, remaining: 0 });
      }
      return background.drain(drainOptions);
    },
    get pending() {
      return background.pending;
    },
  };
  Object.defineProperty(client, clientBrand, { value: true });
  return client;
}

/** Why a bound client's payments go out unattributed, worked out when the debug log needs it. */
type Unattributed = (() => string) | undefined;

/** Why `forVisitor(visitorId)` bound no visitor, for the debug log. */
function unboundReason(visitorId: string | null | undefined): string {
  return typeof visitorId === 'string' && visitorId.trim() !== ''
    ? `the visitor id ${describeValue(visitorId)} is not a UUID`
    : 'no datafast_visitor_id cookie (tracker not loaded or blocked, cookieless mode, or another domain)';
}

/** Why an unbound payment has no visitor, for the debug log. */
function why(input: PaymentInput): string {
  return input.datafast_visitor_id === null
    ? 'datafast_visitor_id is null (deliberately unattributed)'
    : 'no datafast_visitor_id given (bind the client to the request: forRequest(request))';
}

function asDatafastError(error: unknown): DatafastError {
  if (isDatafastError(error)) return error;
  return new DatafastError('unexpected_error', messageOf(error), { cause: error });
}
