// The Fastify bench app, listening as users run it: `GET /bare` answers `ok` with no plugin at
// all, the bare request of row 1 (started pinned to its own core by the bench). Our plugin's own
// cost is measured in process (rows/middleware-inprocess.mjs).
// Reads PORT.
import Fastify from 'fastify';

const app = Fastify();
app.get('/bare', async () => 'ok');

await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
