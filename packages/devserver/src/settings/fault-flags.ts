// The CLI's fault flags, in the settings' schema: each sets the `Faults` field of its name (one
// by one over the config file's faults), checked by that field's own rule in faults.ts.
import { errorStatus, FAULT_FIELDS, type Faults, failNextCount, failNextMode } from '../faults.js';
import type { Setting } from './setting.js';
import { numberText } from './values.js';

/** `200`, or a range `100-250` (also `100..250`), as `latencyMs` takes it. */
function latencyText(text: string): unknown {
  const range = /^(\d+(?:\.\d+)?)\s*(?:-|\.\.)\s*(\d+(?:\.\d+)?)$/.exec(text);
  return range ? { min: Number(range[1]), max: Number(range[2]) } : numberText(text);
}

const fault = (field: keyof Faults) => (value: unknown, name: string) =>
  FAULT_FIELDS[field](value, name);

/** The fault flags, as `--help` lists them. */
export const FAULT_FLAGS: readonly Setting[] = [
  {
    key: 'failureRate',
    from: ['flag'],
    fault: true,
    flag: 'failure-rate',
    arg: '0..1',
    help: 'answer --failure-status with this probability',
    fromText: numberText,
    check: fault('failureRate'),
  },
  {
    key: 'failureStatus',
    from: ['flag'],
    fault: true,
    flag: 'failure-status',
    arg: 'code',
    help: 'status for injected failures (default 503)',
    fromText: numberText,
    check: fault('failureStatus'),
  },
  {
    key: 'latencyMs',
    from: ['flag'],
    fault: true,
    flag: 'latency-ms',
    arg: 'ms|a-b',
    help: 'delay each request by ms, or uniformly between a and b\n(at most 2147483647)',
    fromText: latencyText,
    check: fault('latencyMs'),
  },
  {
    key: 'latencyRate',
    from: ['flag'],
    fault: true,
    flag: 'latency-rate',
    arg: '0..1',
    help: 'delay only this share of requests (default 1: all)',
    fromText: numberText,
    check: fault('latencyRate'),
  },
  {
    key: 'rateLimitRate',
    from: ['flag'],
    fault: true,
    flag: 'rate-limit-rate',
    arg: '0..1',
    help: 'answer 429 with Retry-After with this probability',
    fromText: numberText,
    check: fault('rateLimitRate'),
  },
  {
    key: 'retryAfter',
    from: ['flag'],
    fault: true,
    flag: 'retry-after',
    arg: 'value',
    help:
      'the Retry-After value: seconds, or an HTTP date such as\n' +
      '"Wed, 21 Oct 2026 07:28:00 GMT" (default 1)',
    check: fault('retryAfter'),
  },
  {
    key: 'dropRate',
    from: ['flag'],
    fault: true,
    flag: 'drop-rate',
    arg: '0..1',
    help: 'reset the connection without answering, with this probability',
    fromText: numberText,
    check: fault('dropRate'),
  },
  {
    key: 'failNext.count',
    from: ['flag'],
    fault: true,
    flag: 'fail-next',
    arg: 'n',
    help: 'fail the next n requests',
    fromText: numberText,
    check: failNextCount,
  },
  {
    key: 'failNext.mode',
    from: ['flag'],
    fault: true,
    flag: 'fail-next-mode',
    arg: 'mode',
    help: 'how: status (default), rate-limit, drop or hang',
    check: failNextMode,
  },
  {
    key: 'failNext.status',
    from: ['flag'],
    fault: true,
    flag: 'fail-next-status',
    arg: 'code',
    help: 'status for --fail-next-mode status (default --failure-status)',
    fromText: numberText,
    check: errorStatus,
  },
];
