const chargeCustomer = async ({ amount, currency, id }) => ({ id, amount, currency });
import { datafast } from '@datafast-checkout/express';
import express from 'express';

const app = express();
app.use(datafast()); // reads DATAFAST_API_KEY; mount it before the routes that use req.datafast

app.post('/api/checkout', express.json(), async (req, res) => {
  const charge = await chargeCustomer(req.body); // your payment processor
  // Reported in the background: the route never waits for DataFast.
  req.datafast.track({
    amount: charge.amount,
    currency: charge.currency,
    transaction_id: charge.id,
  });
  res.json({ transaction_id: charge.id });
});

app.listen(process.env.PORT || 3000);
