// One instance of an app that receives LemonSqueezy webhooks, as a deployment runs several: the
// built package, configured from the environment only (DATAFAST_API_KEY, DATAFAST_BASE_URL,
// LEMONSQUEEZY_WEBHOOK_SECRET, LEMONSQUEEZY_API_KEY when set, PORT), with no store shared with
// the other instances.
import { createServer } from 'node:http';
import { toExpress } from '../../dist/index.js';
import { lemonSqueezyWebhook } from '../../dist/lemonsqueezy.js';

const webhook = toExpress(
  lemonSqueezyWebhook({ apiBase: process.env.LEMONSQUEEZY_API_BASE || undefined }),
);
createServer((req, res) =>
  webhook(req, res, (error) => {
    res.statusCode = 500;
    res.end(String(error));
  }),
).listen(Number(process.env.PORT), '127.0.0.1');
