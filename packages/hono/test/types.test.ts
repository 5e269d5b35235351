import type { BoundDatafast } from '@datafast-checkout/core';
import { Hono } from 'hono';
import { describe, expectTypeOf, it } from 'vitest';
import { type DatafastVariables, datafast, flushOnShutdown, getDatafast } from '../src/index.js';

// Compiled by `pnpm typecheck` (tsc over test/): the assertions below are checked there.
describe('types', () => {
  it("types c.get('datafast') and c.var.datafast on an app declaring DatafastVariables", () => {
    const app = new Hono<{ Variables: DatafastVariables }>();
    app.use(datafast());
    app.get('/', (c) => {
      expectTypeOf(c.get('datafast')).toEqualTypeOf<BoundDatafast>();
      expectTypeOf(c.var.datafast).toEqualTypeOf<BoundDatafast>();
      expectTypeOf(getDatafast(c)).toEqualTypeOf<BoundDatafast>();
      return c.text('ok');
    });
  });

  it('mounts on an app with variables of its own', () => {
    const app = new Hono<{ Variables: DatafastVariables & { user: string } }>();
    app.use(datafast());
    app.get('/', (c) => c.text(c.get('user')));
  });

  it("takes the middleware, or its client, in flushOnShutdown, with Node's signal names", () => {
    const middleware = datafast({ apiKey: 'df_types' });
    expectTypeOf(flushOnShutdown).toBeCallableWith(middleware);
    expectTypeOf(flushOnShutdown).toBeCallableWith(middleware.client, {
      signals: ['SIGTERM', 'SIGHUP'],
      reraise: false,
    });
    // @ts-expect-error: a signal is named SIG…
    expectTypeOf(flushOnShutdown).toBeCallableWith(middleware, { signals: ['TERM'] });
  });
});
