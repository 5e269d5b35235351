import type { BoundDatafast } from '@datafast-checkout/core';
import { Hono } from 'hono';
import { describe, expectTypeOf, it } from 'vitest';
import { type DatafastVariables, datafast, getDatafast } from '../src/index.js';

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
});
