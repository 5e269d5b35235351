import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { childAppSuite } from './helpers/child-app.js';
import { checkout, visitor } from './helpers/shop.js';

// An app that mounts `app.use(datafast())` after its routes, run as a real process on the built
// package: in Express 4 the mistake ends the process, so it cannot run inside the test worker.
const appFile = fileURLToPath(new URL('./fixtures/misordered.mjs', import.meta.url));
const suite = childAppSuite();

const fixTheOrder = 'Mount app.use(datafast()) before the routes that use req.datafast';

describe.each(['5', '4'])('datafast() mounted after the routes, in Express %s', (version) => {
  const start = () => suite.start(appFile, { EXPRESS: version });

  it('still attributes the payment through getDatafast(req, middleware)', async () => {
    const { url } = await start();
    const transactionId = `ch_get_datafast_express${version}`;
    const response = await checkout(
      `${url}/checkout/get-datafast`,
      { transaction_id: transactionId },
      `datafast_visitor_id=${visitor}`,
    );

    expect(await response.json()).toEqual({ visitorId: visitor });
    expect(await suite.dev.waitForPayment(transactionId, { timeoutMs: 10_000 })).toMatchObject({
      datafast_visitor_id: visitor,
    });
  });

  it('fails on req.datafast with an error that names the fix', async () => {
    const running = await start();
    const answer = await checkout(`${running.url}/checkout/req-datafast`, {
      transaction_id: `ch_misordered_express${version}`,
    }).then(
      async (response) => ({ status: response.status, text: await response.text() }),
      () => undefined,
    );

    if (version === '5') {
      // Express 5 hands an async route's rejection to the error handler: a 500 that says why.
      expect(answer?.status).toBe(500);
      expect(answer?.text).toContain('DatafastConfigError');
      expect(answer?.text).toContain(fixTheOrder);
    } else {
      // Express 4 leaves an async route's rejection unhandled, so Node ends the process; what it
      // prints now says what to change instead of "Cannot read properties of undefined".
      const child = running.process;
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
      expect(child.exitCode).toBe(1);
      expect(running.output()).toContain(fixTheOrder);
    }
    expect(suite.dev.requests()).toEqual([]);
  });
});
