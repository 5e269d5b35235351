import { describeTrackerProxy, postPageview } from '@datafast-checkout/devserver/testing/vitest';
import { expect, it } from 'vitest';
import { example } from './example.js';

// The tracker proxy (`datafastHandle({ proxy: true })`) in the built app: a browser that blocks
// DataFast still gets its cookie, pageview and attributed payment through the app, with the
// visitor's IP from `getClientAddress()`: without ADDRESS_HEADER, the connection's, never a
// forged X-Forwarded-For.
const suite = describeTrackerProxy(example);

it('takes the visitor IP from the header ADDRESS_HEADER names, behind a proxy of your own', async () => {
  const behindProxy = await suite.start({ ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '1' });
  try {
    const visitor = '6e4d3c2b-1a0f-4e9d-8c7b-a69584736251';
    // What a reverse proxy sends: the visitor's own claim first, the address it saw last.
    const response = await postPageview(behindProxy, visitor, {
      'x-forwarded-for': '198.51.100.7, 203.0.113.9',
    });

    expect(response.status).toBe(202);
    expect((await suite.dev.waitForPageview(visitor)).ip).toBe('203.0.113.9');
  } finally {
    await behindProxy.stop();
  }
});
