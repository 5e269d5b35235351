import { minorUnitTable } from '../minor-units.js';

/**
 * LemonSqueezy's amounts: "a positive integer in cents ... in the order currency", an ISO 4217
 * code (`@lemonsqueezy/lemonsqueezy.js` 4.0, the `Order` attributes and `ISO4217CurrencyCode`),
 * so ISO 4217's minor unit for every currency that type lists, but for the precious metals and
 * test codes (XAU, XDR, XTS, ...), which have none and are never charged.
 */
export const lemonSqueezyCurrencies = minorUnitTable({
  0: 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF',
  2: `AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD
    CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS
    GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL
    MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK
    PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLL SOS SRD SSP STN SYP SZL THB TJS TMT
    TOP TRY TTD TWD TZS UAH USD USN UYU UZS VES WST XCD YER ZAR ZMW`,
  3: 'BHD IQD JOD KWD LYD OMR TND',
  4: 'CLF',
});
