import { minorUnitTable } from '../minor-units.js';

/**
 * Paddle's amounts: strings in the currency's lowest denomination
 * (https://developer.paddle.com/api-reference/about/data-types), for the currencies of the
 * `CurrencyCode` of `@paddle/paddle-node-sdk` 3.10. JPY and KRW have no decimals (Paddle's own
 * `paddle-nextjs-starter-kit`, `src/utils/paddle/parse-money.ts`), nor have CLP and VND, whose
 * lowest denomination is the whole unit (ISO 4217); every other one has two.
 */
export const paddleCurrencies = minorUnitTable({
  0: 'CLP JPY KRW VND',
  2: `ARS AUD BRL CAD CHF CNY COP CZK DKK EUR GBP HKD HUF ILS INR MXN NOK NZD PEN PLN RUB SEK SGD
    THB TRY TWD UAH USD ZAR`,
});
