import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDatafast } from '../src/index.js';

// DataFast's own pages disagree on the names of a delete's range: the delete page says
// `start`/`end` ("not startAt/endAt"), the Payments API overview shows `startAt`/`endAt`. An API
// that reads the other pair than the one sent takes `{ datafast_visitor_id, start, end }` for
// "every payment of that visitor". So a ranged delete must narrow under both readings: the
// devserver reads the delete page's pair; the peer below, a stand-in on 127.0.0.1 with a store
// of its own, reads the overview's pair and ignores `start`/`end`, as that API would.

const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';
const seed = [
  { transaction_id: 'apr', datafast_visitor_id: visitor, timestamp: '2026-04-20T10:00:00.000Z' },
  { transaction_id: 'may', datafast_visitor_id: visitor, timestamp: '2026-05-10T10:00:00.000Z' },
  { transaction_id: 'jun', datafast_visitor_id: visitor, timestamp: '2026-06-15T10:00:00.000Z' },
  { transaction_id: 'other', datafast_visitor_id: null, timestamp: '2026-05-12T10:00:00.000Z' },
];
type Stored = (typeof seed)[number];
const may = { start: '2026-05-01T00:00:00Z', end: '2026-05-31T23:59:59Z' };

/** A DELETE /api/v1/payments that reads `startAt`/`endAt`, with the API's priority and answers. */
function overviewReading(store: Stored[]): Server {
  return createServer((req, res) => {
    const query = new URL(req.url ?? '/', 'http://peer').searchParams;
    const startAt = query.get('startAt');
    const endAt = query.get('endAt');
    const inRange = (p: Stored) =>
      (!startAt || p.timestamp >= new Date(startAt).toISOString()) &&
      (!endAt || p.timestamp <= new Date(endAt).toISOString());
    const visitorId = query.get('datafast_visitor_id');
    let match: ((p: Stored) => boolean) | undefined;
    if (visitorId) match = (p) => p.datafast_visitor_id === visitorId && inRange(p);
    else if (startAt && endAt) match = inRange;
    res.setHeader('content-type', 'application/json');
    if (!match) {
      res
        .writeHead(400)
        .end(
          JSON.stringify({ status: 'error', error: { code: 400, message: 'No filter provided' } }),
        );
      return;
    }
    const gone = store.filter(match);
    for (const p of gone) store.splice(store.indexOf(p), 1);
    res.end(
      JSON.stringify({ status: 'success', data: [{ message: `Deleted ${gone.length} payments` }] }),
    );
  });
}

describe('a ranged delete narrows under both readings of its parameters', () => {
  let peer: Server;
  let peerUrl: string;
  const peerStore: Stored[] = [];
  let dev: DevServer;

  beforeAll(async () => {
    peer = overviewReading(peerStore);
    await new Promise<void>((resolve) => peer.listen(0, '127.0.0.1', resolve));
    peerUrl = `http://127.0.0.1:${(peer.address() as AddressInfo).port}`;
    dev = await startDevServer();
  });
  afterAll(async () => {
    await new Promise((resolve) => peer.close(resolve));
    await dev.close();
  });
  beforeEach(async () => {
    peerStore.splice(0, peerStore.length, ...seed.map((p) => ({ ...p })));
    await dev.reset();
    const seeding = createDatafast({ apiKey: dev.apiKey, baseUrl: dev.url });
    for (const p of seed) {
      await seeding.payments.create({
        amount: 10,
        currency: 'USD',
        ...p,
        datafast_visitor_id: p.datafast_visitor_id ?? undefined,
      });
    }
  });

  const remaining = {
    peer: () => peerStore.map((p) => p.transaction_id),
    devserver: () => dev.payments().map((p) => p.transaction_id),
  };
  const clientFor = (where: 'peer' | 'devserver') =>
    createDatafast({
      apiKey: where === 'peer' ? 'df_peer' : dev.apiKey,
      baseUrl: where === 'peer' ? peerUrl : dev.url,
      maxRetries: 0,
    });

  it.each(['peer', 'devserver'] as const)(
    "deletes only the visitor's payments within start and end (%s)",
    async (where) => {
      await clientFor(where).payments.delete({ datafast_visitor_id: visitor, ...may });
      expect(remaining[where]()).toEqual(['apr', 'jun', 'other']);
    },
  );

  it.each(['peer', 'devserver'] as const)(
    'deletes every payment within start and end, and nothing outside (%s)',
    async (where) => {
      await clientFor(where).payments.delete(may);
      expect(remaining[where]()).toEqual(['apr', 'jun']);
    },
  );
});
