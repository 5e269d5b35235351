import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clientDefaults, resolveClientConfig } from '../src/config.js';
import type { Outbox } from '../src/index.js';
import { defaultRetryPolicy } from '../src/retry-policy.js';

const noWarnings = () => {};
const outbox: Outbox = { put: () => {}, delete: () => {}, list: () => [] };

describe('the client configuration', () => {
  it('resolves every option once, with one set of defaults', () => {
    const config = resolveClientConfig({ apiKey: 'df_k' }, noWarnings, 'test');
    expect(config).toMatchObject({
      maxQueueSize: 10_000,
      concurrency: 8,
      maxAgeMs: 15 * 60_000,
      transport: { timeoutMs: 10_000, retry: defaultRetryPolicy },
    });
    expect(resolveClientConfig({ apiKey: 'df_k', outbox }, noWarnings, 'test').maxAgeMs).toBe(
      3 * 24 * 60 * 60_000,
    );
    expect(
      resolveClientConfig(
        { apiKey: 'df_k', maxQueueSize: 50, concurrency: 2, maxAgeMs: 0 },
        noWarnings,
        'test',
      ),
    ).toMatchObject({ maxQueueSize: 50, concurrency: 2, maxAgeMs: 0 });
  });

  it.each([
    [{ maxQueueSize: 0 }, 'option maxQueueSize must be an integer from 1 to 10000000 (got 0)'],
    [{ maxQueueSize: 20_000_000 }, 'option maxQueueSize must be an integer from 1 to 10000000'],
    [{ concurrency: 2.5 }, 'option concurrency must be an integer from 1 to 1000 (got 2.5)'],
    [{ maxAgeMs: -1 }, 'option maxAgeMs must be a number from 0 to'],
  ])('refuses %o, naming the option', (options, message) => {
    expect(() => resolveClientConfig({ apiKey: 'df_k', ...options }, noWarnings, 'test')).toThrow(
      message,
    );
  });

  it("states the same defaults as the README's option table", () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const defaultOf = (option: string) =>
      new RegExp(`^\\| \`${option}\` +\\| ([^|]+?) +\\|`, 'm').exec(readme)?.[1];
    expect(defaultOf('maxQueueSize')).toBe(`\`${clientDefaults.maxQueueSize}\``);
    expect(defaultOf('concurrency')).toBe(`\`${clientDefaults.concurrency}\``);
    expect(defaultOf('timeoutMs')).toBe(`\`${clientDefaults.timeoutMs}\``);
    expect(defaultOf('maxRetries')).toBe(`\`${defaultRetryPolicy.maxRetries}\``);
    expect(defaultOf('backoff')).toBe(
      `\`{ initialDelayMs: ${defaultRetryPolicy.initialDelayMs}, maxDelayMs: ${defaultRetryPolicy.maxDelayMs}, maxRetryAfterMs: ${defaultRetryPolicy.maxRetryAfterMs} }\``,
    );
    expect(defaultOf('maxAgeMs')).toBe(
      `${clientDefaults.maxAgeMs / 60_000} minutes; ${clientDefaults.outboxMaxAgeMs / 86_400_000} days with an \`outbox\``,
    );
    expect(defaultOf('baseUrl')).toBe(
      `env \`DATAFAST_BASE_URL\`, else \`${clientDefaults.baseUrl}\``,
    );
  });
});
