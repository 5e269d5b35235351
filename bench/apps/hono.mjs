// The Hono bench app, on `@hono/node-server` as Hono runs on Node: `GET /bare` answers `ok` with
// no middleware at all, the bare request of row 1 (started pinned to its own core by the bench).
// Our middleware's own cost is measured in process (rows/middleware-inprocess.mjs).
// Reads PORT.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.get('/bare', (c) => c.text('ok'));

serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
