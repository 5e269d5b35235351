import { fileURLToPath } from 'node:url';
import { createDatafast } from '@datafast-checkout/core';
import { describe, expect, it, vi } from 'vitest';
import { flushOnShutdown } from '../src/index.js';
import { childAppSuite } from './helpers/child-app.js';
import { checkout, visitor } from './helpers/shop.js';

const appFile = fileURLToPath(new URL('./fixtures/app.mjs', import.meta.url));
const suite = childAppSuite();
const start = (env: Record<string, string> = {}) => suite.start(appFile, env);
const stored = (transactionId: string) =>
  suite.dev.payments().find((payment) => payment.transaction_id === transactionId);

describe('flushOnShutdown in a real process', () => {
  it('delivers a report still pending at SIGTERM, then exits by that signal', async () => {
    const { url, stop } = await start();
    suite.dev.setFaults({ latencyMs: 1_500 });
    const response = await checkout(
      `${url}/checkout`,
      { transaction_id: 'ch_pending_at_sigterm' },
      `datafast_visitor_id=${visitor}`,
    );
    expect(response.status).toBe(200);
    expect(stored('ch_pending_at_sigterm')).toBeUndefined();

    const exit = await stop('SIGTERM');

    // Re-raised: the process ends as an unhandled SIGTERM would have, but only after the flush,
    // so the payment was already recorded when it exited.
    expect(exit).toEqual({ code: null, signal: 'SIGTERM' });
    expect(stored('ch_pending_at_sigterm')).toMatchObject({ datafast_visitor_id: visitor });
  });

  it('exits after timeoutMs when DataFast never answers', async () => {
    const { url, stop, output } = await start({ FLUSH_TIMEOUT_MS: '300' });
    suite.dev.setFaults({ failNext: { count: 1, mode: 'hang' } });
    await checkout(`${url}/checkout`, { transaction_id: 'ch_hung' });

    // `stop` would escalate to SIGKILL after 5 s; a SIGTERM exit means the bound held.
    const exit = await stop('SIGTERM');

    expect(exit).toEqual({ code: null, signal: 'SIGTERM' });
    // Given up at the bound, and reported with its payment, not just counted.
    expect(output()).toContain('onError ch_hung: shutdown_timeout');
    expect(stored('ch_hung')).toBeUndefined();
  });

  it('stops waiting at a second signal', async () => {
    const { url, stop, output, process: child } = await start({ FLUSH_TIMEOUT_MS: '60000' });
    suite.dev.setFaults({ failNext: { count: 1, mode: 'hang' } });
    await checkout(`${url}/checkout`, { transaction_id: 'ch_hung_twice' });

    // Two different signals, so the kernel cannot merge them into one. Whichever Node handles
    // second ends the wait; without that the flush would hold for 60 s and `stop` would SIGKILL.
    child.kill('SIGINT');
    const exit = await stop('SIGTERM');

    expect(exit.code).toBeNull();
    expect(['SIGINT', 'SIGTERM']).toContain(exit.signal);
    expect(output()).toContain('onError ch_hung_twice: shutdown_timeout');
  });

  it("leaves the exit to the app's own SIGTERM handler, after the flush", async () => {
    const { url, stop, output } = await start({ OWN_SIGTERM_HANDLER: '1' });
    suite.dev.setFaults({ latencyMs: 1_000 });
    await checkout(`${url}/checkout`, { transaction_id: 'ch_own_handler' });

    const exit = await stop('SIGTERM');

    // The app's handler closed its server; with the report delivered nothing kept the process
    // alive, so it ended normally, and the handler ran once (the signal was not re-raised).
    expect(exit).toEqual({ code: 0, signal: null });
    expect(output().match(/app: closing the server/g)).toHaveLength(1);
    expect(stored('ch_own_handler')).toBeDefined();
  });
});

describe('flushOnShutdown next to signal-exit and explicit reraise', () => {
  it.each(['v4', 'v3'])(
    'with signal-exit %s loaded, delivers the pending report, runs its exit hook, exits by SIGTERM',
    async (version) => {
      const transactionId = `ch_signal_exit_${version}`;
      const { url, stop, output } = await start({ SIGNAL_EXIT: version });
      suite.dev.setFaults({ latencyMs: 1_000 });
      await checkout(`${url}/checkout`, { transaction_id: transactionId });
      expect(stored(transactionId)).toBeUndefined();

      // signal-exit's listener is not the app's handler: it only acts when it is the last one.
      // Without the re-raise nobody ends the process and `stop` escalates to SIGKILL after 5 s.
      const exit = await stop('SIGTERM');

      expect(exit).toEqual({ code: null, signal: 'SIGTERM' });
      expect(stored(transactionId)).toBeDefined();
      expect(output()).toContain('signal-exit hook: SIGTERM');
    },
  );

  it("re-raises after the flush with reraise: true, after the app's own handler ran", async () => {
    const { url, stop, output } = await start({ OWN_SIGTERM_HANDLER: '1', RERAISE: 'true' });
    suite.dev.setFaults({ latencyMs: 1_000 });
    await checkout(`${url}/checkout`, { transaction_id: 'ch_reraise_true' });

    const exit = await stop('SIGTERM');

    // Without the re-raise the app would end normally (code 0) once its server closed.
    expect(exit).toEqual({ code: null, signal: 'SIGTERM' });
    expect(output().match(/app: closing the server/g)).toHaveLength(1);
    expect(stored('ch_reraise_true')).toBeDefined();
  });

  it('keeps the process running after the flush with reraise: false, refusing later reports loudly', async () => {
    const { url, process: child, output } = await start({ RERAISE: 'false' });
    suite.dev.setFaults({ latencyMs: 500 });
    await checkout(`${url}/checkout`, { transaction_id: 'ch_reraise_false' });

    child.kill('SIGTERM');
    await suite.dev.waitForPayment('ch_reraise_false', { timeoutMs: 10_000 });
    // The helper removes its listener when it finishes, right before it would re-raise.
    await vi.waitFor(
      async () => expect(await (await fetch(`${url}/sigterm-listeners`)).json()).toBe(0),
      { timeout: 10_000, interval: 50 },
    );

    expect({ code: child.exitCode, signal: child.signalCode }).toEqual({
      code: null,
      signal: null,
    });

    // The client is shut down: a later checkout still answers, and its report reaches onError
    // with the payment instead of being sent (or kept pending with no one to deliver it).
    const late = await checkout(`${url}/checkout`, { transaction_id: 'ch_after_shutdown' });
    expect(late.status).toBe(200);
    await vi.waitFor(() => expect(output()).toContain('onError ch_after_shutdown: shut_down'), {
      timeout: 10_000,
      interval: 50,
    });
    expect(stored('ch_after_shutdown')).toBeUndefined();
  });
});

describe('flushOnShutdown handlers', () => {
  it('refuses a reraise that is not auto, true or false', () => {
    const client = createDatafast({ apiKey: 'df_unused' });
    expect(() => flushOnShutdown(client, { reraise: 'yes' as unknown as boolean })).toThrow(
      "reraise must be 'auto', true or false",
    );
  });

  it('adds one listener per signal and removes them when disposed', () => {
    const before = ['SIGTERM', 'SIGINT', 'SIGUSR2'].map((s) => process.listenerCount(s));
    const dispose = flushOnShutdown(createDatafast({ apiKey: 'df_unused' }), {
      signals: ['SIGTERM', 'SIGUSR2'],
    });
    expect(['SIGTERM', 'SIGINT', 'SIGUSR2'].map((s) => process.listenerCount(s))).toEqual([
      (before[0] ?? 0) + 1,
      before[1],
      (before[2] ?? 0) + 1,
    ]);

    dispose();

    expect(['SIGTERM', 'SIGINT', 'SIGUSR2'].map((s) => process.listenerCount(s))).toEqual(before);
  });
});
