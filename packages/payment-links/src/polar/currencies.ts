import { minorUnitTable } from '../minor-units.js';

/**
 * Polar's amounts, in Stripe's convention rather than ISO 4217: the currencies of its
 * `PresentmentCurrency`, zero-decimal when in its `_ZERO_DECIMAL_CURRENCIES`, two decimals
 * otherwise, so ISK and UGX are sent times 100 and MGA has no decimals
 * (polarsource/polar @ c6c3645e, `server/polar/kit/currency.py`, `get_currency_decimal_factor`).
 */
export const polarCurrencies = minorUnitTable({
  0: 'BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF VND VUV XAF XOF XPF',
  2: `AED ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BMD BND BOB BRL BSD BWP BZD CAD CDF CHF CNY COP
    CRC CVE CZK DKK DOP DZD EGP ETB EUR FJD FKP GBP GEL GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR
    ISK JMD KES KGS KHR KYD KZT LAK LKR LRD LSL MAD MDL MKD MNT MOP MUR MVR MWK MXN MYR MZN NAD NGN
    NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD SAR SBD SCR SEK SGD SHP SOS SRD SZL THB TJS
    TOP TRY TTD TWD TZS UAH UGX USD UYU UZS WST XCD XCG YER ZAR ZMW`,
});
