import { validateEvent } from '@polar-sh/sdk/webhooks';
import { Webhook } from 'standardwebhooks';
import { polarEvent, polarOrder, polarRefund, polarWebhookSecret } from '../../../internal/testing/src/polar-fixtures.ts';
for (const event of [polarEvent('order.paid', polarOrder()), polarEvent('order.paid', polarOrder({}, { subscriptionMetadata: { a: 'b' } })), polarEvent('refund.created', polarRefund(polarOrder()))]) {
  const body = JSON.stringify(event);
  const wh = new Webhook(Buffer.from(polarWebhookSecret).toString('base64'));
  const id = 'msg_1'; const now = new Date();
  const sig = wh.sign(id, now, body);
  try { validateEvent(body, { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now.getTime()/1000)), 'webhook-signature': sig }, polarWebhookSecret); console.log('ok', event.type); }
  catch (e) { console.log('FAIL', event.type, JSON.stringify((e as any).cause?.issues ?? (e as any).cause ?? String(e)).slice(0, 3000)); }
}
