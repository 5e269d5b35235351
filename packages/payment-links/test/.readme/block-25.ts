// Express
import { onPaymentSucceeded, toExpress } from '@datafast-checkout/payment-links';
import { paddleTransaction } from '@datafast-checkout/payment-links/paddle';
import express from 'express';

const app = express();
app.get(
  '/thanks',
  toExpress(onPaymentSucceeded(paddleTransaction(), () => new Response('Thanks!'))),
);

export {};
