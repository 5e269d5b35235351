// Bench app for row 7: the same-origin tracker proxy (`datafastProxy()`), and beside it what the
// DataFast docs' Express snippet does by hand (read the body, forward it with the IP header), both
// pointed at the devserver (DATAFAST_BASE_URL). Listens on PORT.
import { datafastProxy } from '@datafast-checkout/express';
import express from 'express';

const upstream = process.env.DATAFAST_BASE_URL;
const app = express();
app.post('/by-hand/api/events', express.text({ type: '*/*' }), async (req, res) => {
  const answer = await fetch(`${upstream}/api/events`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', 'x-datafast-real-ip': req.ip ?? '' },
    body: req.body,
  });
  res.status(answer.status).send(Buffer.from(await answer.arrayBuffer()));
});
app.use(datafastProxy());
app.get('/health', (_req, res) => {
  res.send('ok');
});
app.listen(Number(process.env.PORT), '127.0.0.1');
