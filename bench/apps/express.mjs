// The Express bench app: one process per variant (the bench starts it several times, pinned to
// its own core), each variant on its own route so that nothing else differs:
//   GET  /bare                 no middleware at all: the bare request of row 1
//   POST /api/checkout/ours    app.use(datafast()) and req.datafast.track()
//   POST /api/checkout/naive   cookie-parser and the docs' awaited fetch
//   POST /api/checkout/none    reports nothing
//   POST /api/checkout/outbox  as ours, with the file outbox in BENCH_OUTBOX_DIR (when set), as
//                              the Express example does with DATAFAST_OUTBOX_DIR
//   POST /api/checkout/redis   as ours, with the Redis outbox on BENCH_REDIS_URL (when set)
//   POST /api/checkout/postgres  as ours, with the PostgreSQL outbox in BENCH_DATABASE_URL (when
//                              set; its table already migrated)
// Reads PORT, DATAFAST_API_KEY and DATAFAST_BASE_URL.
import { fileOutbox } from '@datafast-checkout/core/file-outbox';
import { datafast } from '@datafast-checkout/express';
import { postgresOutbox } from '@datafast-checkout/postgres';
import cookieParser from 'cookie-parser';
import express from 'express';
import pg from 'pg';
import { charge, parseOrder, paymentOf, reportNaively } from './checkout.mjs';

const app = express();
app.disable('x-powered-by');
app.get('/bare', (_req, res) => {
  res.send('ok');
});

const checkout = (report) => async (req, res) => {
  const order = parseOrder(req.body);
  if (!order) {
    res.status(400).json({ error: 'invalid order' });
    return;
  }
  const paid = charge(order);
  await report(req, paid);
  res.json({ transaction_id: paid.id });
};

// Failures after retries are not logged: the bench measures reporting, not the log's volume.
const track = (req, paid) => req.datafast.track(paymentOf(paid));
app.post('/api/checkout/ours', datafast({ onError: () => {} }), express.json(), checkout(track));
if (process.env.BENCH_OUTBOX_DIR) {
  const outbox = fileOutbox(process.env.BENCH_OUTBOX_DIR);
  const durable = datafast({ outbox, onError: () => {} });
  app.post('/api/checkout/outbox', durable, express.json(), checkout(track));
}
if (process.env.BENCH_REDIS_URL) {
  const { createClient } = await import('redis');
  const { redisOutbox } = await import('@datafast-checkout/redis');
  const client = await createClient({ url: process.env.BENCH_REDIS_URL }).connect();
  const shared = datafast({ outbox: redisOutbox({ client }), onError: () => {} });
  app.post('/api/checkout/redis', shared, express.json(), checkout(track));
}
if (process.env.BENCH_DATABASE_URL) {
  const pool = new pg.Pool({ connectionString: process.env.BENCH_DATABASE_URL });
  const shared = datafast({ outbox: postgresOutbox({ pool }), onError: () => {} });
  app.post('/api/checkout/postgres', shared, express.json(), checkout(track));
}
app.post(
  '/api/checkout/naive',
  cookieParser(),
  express.json(),
  checkout((req, paid) => reportNaively(paymentOf(paid, req.cookies.datafast_visitor_id))),
);
app.post(
  '/api/checkout/none',
  express.json(),
  checkout(() => {}),
);

app.listen(Number(process.env.PORT), '127.0.0.1');
