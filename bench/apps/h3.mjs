// The h3 bench app, for Nuxt's row: h3 1.x on Node through `toNodeListener`, as Nitro's Node
// server runs it (Nuxt 4's server runtime is Nitro 2 on h3 1.15; Nuxt itself needs Node 22, so
// the row measures the h3 app Nitro builds around, on the Node the bench runs on). `GET /bare`
// answers `ok` with no middleware and no hook, the bare request of row 1 (started pinned to its
// own core by the bench). Our plugin's own cost is measured in process
// (rows/middleware-inprocess.mjs). Reads PORT.
import { createServer } from 'node:http';
import { createApp, createRouter, defineEventHandler, toNodeListener } from 'h3';

const app = createApp();
app.use(
  createRouter().get(
    '/bare',
    defineEventHandler(() => 'ok'),
  ),
);

createServer(toNodeListener(app)).listen(Number(process.env.PORT), '127.0.0.1');
