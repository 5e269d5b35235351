import { reportCharge, shutdown } from './quickstart.mjs';

const request = new Request('https://shop.example/api/checkout', {
  headers: { cookie: 'datafast_visitor_id=a3ab2331-989f-4cfa-91c6-2461c9e3c6bd' },
});
reportCharge(request, {
  id: 'ch_quickstart',
  amount: 2999,
  currency: 'usd',
  email: 'ada@example.com',
});
console.log(JSON.stringify(await shutdown()));
