import type { BoundDatafast } from '@datafast-checkout/core';
import type { APIContext, APIRoute, MiddlewareHandler } from 'astro';
import { describe, expectTypeOf, it } from 'vitest';
import { type DatafastMiddleware, datafast, datafastProxy, getDatafast } from '../src/index.js';

// Compiled by `pnpm typecheck` (tsc over test/): the assertions below are checked there. The
// middleware itself runs in a built Astro 7 app, on Node 22, in internal/astro-check.
describe('types', () => {
  it('types context.locals.datafast through App.Locals, and getDatafast(context)', () => {
    const route: APIRoute = (context) => {
      expectTypeOf(context.locals.datafast).toEqualTypeOf<BoundDatafast>();
      expectTypeOf(getDatafast(context)).toEqualTypeOf<BoundDatafast>();
      return new Response('ok');
    };
    expectTypeOf(route).toBeFunction();
  });

  it("gives Astro's MiddlewareHandler, to export as onRequest or pass to sequence()", () => {
    expectTypeOf(datafast()).toExtend<MiddlewareHandler>();
    expectTypeOf(datafastProxy()).toExtend<MiddlewareHandler>();
    expectTypeOf<DatafastMiddleware['client']['drain']>().toBeFunction();
    expectTypeOf(getDatafast).parameter(0).toExtend<Pick<APIContext, 'request' | 'locals'>>();
  });
});
