import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatafast, type Datafast } from '@datafast-checkout/core';
import { type DevServer, type PaymentRecord, startDevServer } from '@datafast-checkout/devserver';
import {
  type ApiStandIn,
  type ApiStandInRequest,
  startApiStandIn,
} from '@datafast-checkout/testing';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { type BackfillOptions, backfill } from '../../src/index.js';
import type { ProviderName } from '../../src/source.js';

/** A payment as DataFast holds it, in the fields these tests compare. */
export interface Stored {
  transaction_id: string;
  amount: number;
  currency: string;
  datafast_visitor_id: string | null;
  renewal?: boolean;
  refunded?: boolean;
}

/** The backfill range of every provider scenario: March 2026. */
export const since = '2026-03-01T00:00:00.000Z';
export const until = '2026-04-01T00:00:00.000Z';
/** A moment `days` into the range, as an ISO date. */
export const day = (days: number) => new Date(Date.parse(since) + days * 86_400_000).toISOString();

/** A devserver, a provider API stand-in and a scratch folder for a provider's suite. */
export function providerSuite(provider: ProviderName, apiKey: string) {
  const context = {} as {
    dev: DevServer;
    client: Datafast;
    api: ApiStandIn;
    directory: string;
    run(options?: Partial<BackfillOptions>): ReturnType<typeof backfill>;
    stored(): Stored[];
  };
  beforeAll(async () => {
    [context.dev, context.api] = await Promise.all([startDevServer(), startApiStandIn()]);
    context.client = createDatafast({
      apiKey: context.dev.apiKey,
      baseUrl: context.dev.url,
      backoff: { initialDelayMs: 5, maxDelayMs: 20 },
      logger: { warn() {}, error() {} },
    });
    context.directory = await mkdtemp(join(tmpdir(), `backfill-${provider}-`));
  });
  beforeEach(() => context.dev.reset());
  afterAll(async () => {
    await Promise.all([
      context.dev?.close(),
      context.api?.close(),
      context.directory && rm(context.directory, { recursive: true, force: true }),
    ]);
  });
  context.run = (options = {}) =>
    backfill({
      provider,
      since,
      until,
      apiKey,
      apiBase: context.api.url,
      datafast: context.client,
      state: join(context.directory, 'state.json'),
      retry: { attempts: 2, baseDelayMs: 1 },
      ...options,
    });
  context.stored = () => sorted(context.dev.payments().map(storedView));
  return context;
}

function storedView(payment: PaymentRecord): Stored {
  return {
    transaction_id: String(payment.transaction_id),
    amount: Number(payment.amount),
    currency: String(payment.currency),
    datafast_visitor_id: (payment.datafast_visitor_id as string | undefined) ?? null,
    ...(payment.renewal ? { renewal: true } : {}),
    ...(payment.refunded ? { refunded: true } : {}),
  };
}

/** `list` by `transaction_id`, as `stored()` answers. */
export function sorted<T extends { transaction_id: string }>(list: T[]): T[] {
  return [...list].sort((a, b) => a.transaction_id.localeCompare(b.transaction_id));
}

/** One provider's account, its webhooks and what DataFast must hold after both. */
export interface ProviderScenario {
  provider: ProviderName;
  apiKey: string;
  /** Stores the account's objects in the stand-in: its lists and the lookups' objects. */
  seed(api: ApiStandIn): void;
  /** Delivers the webhooks of the same payments through the provider's real handler. */
  deliver(api: ApiStandIn, datafast: Datafast): Promise<void>;
  expected: Stored[];
  /** What DataFast holds after the webhooks, when they record more than the API tells (a visitor). */
  expectedAfterWebhooks?: Stored[];
  /** Counts the second run's summary must show. Default: nothing reported, every payment a duplicate. */
  secondRun?: Record<string, unknown>;
  /** Counts the first run's summary must show. */
  counts: Record<string, unknown>;
  /**
   * True for a request of the first page of the first listing (which must hold more than two
   * objects): the resume test interrupts that listing after its first page.
   */
  isFirstPage(request: ApiStandInRequest): boolean;
}

/**
 * The suite every provider passes: backfilled, then its webhooks delivered and backfilled again,
 * every payment is stored once with its exact amount; and a run interrupted by the provider's API
 * failing mid-way, resumed, ends the same.
 */
export function describeProvider(scenario: ProviderScenario): void {
  const suite = providerSuite(scenario.provider, scenario.apiKey);
  beforeAll(() => scenario.seed(suite.api));

  it('reports each payment, renewal and refund once with exact amounts, before and after its webhooks', async () => {
    const first = await suite.run();
    expect(first).toMatchObject({ complete: true, failed: 0, ...scenario.counts });
    expect(suite.stored()).toEqual(sorted(scenario.expected));

    await scenario.deliver(suite.api, suite.client);
    expect(suite.stored()).toEqual(sorted(scenario.expectedAfterWebhooks ?? scenario.expected));
    const second = await suite.run();
    expect(second).toMatchObject({
      complete: true,
      failed: 0,
      ...(scenario.secondRun ?? { reported: 0, duplicates: scenario.expected.length }),
    });
    expect(suite.stored()).toEqual(sorted(scenario.expected));
  });

  it('resumes a run interrupted by the provider’s API failing mid-way, to the same result', async () => {
    const state = join(suite.directory, 'resume.json');
    let pages = 0;
    const interrupted = await suite.run({
      state,
      pageSize: 2,
      onPage: () => {
        if (++pages === 1) suite.api.failNext(1_000);
      },
    });
    suite.api.failNext(0);
    expect(interrupted).toMatchObject({ complete: false });
    expect(interrupted.failed).toBeGreaterThan(0);
    const before = suite.api.requests.length;
    const resumed = await suite.run({ state, pageSize: 2 });
    expect(resumed).toMatchObject({ resumed: true, complete: true, failed: 0 });
    expect(suite.stored()).toEqual(sorted(scenario.expected));
    // It continued from the saved page: the first page was not listed again.
    const requests = suite.api.requests.slice(before);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter(scenario.isFirstPage)).toEqual([]);
    expect(suite.api.requests.slice(0, before).filter(scenario.isFirstPage)).not.toEqual([]);
  });
}
