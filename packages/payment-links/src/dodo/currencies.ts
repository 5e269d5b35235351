import { minorUnitTable } from '../minor-units.js';

/**
 * Dodo Payments' amounts, "in the lowest denomination of the currency (e.g., cents for USD)"
 * (dodopayments/dodo-docs @ 2570212d, `openapi/openapi.documented.yml`): ISO 4217's minor unit
 * for every currency of its `Currency` (the `dodopayments` SDK, `resources/misc.d.ts`).
 */
export const dodoCurrencies = minorUnitTable({
  0: 'BIF CLP DJF GNF JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF',
  2: `AED ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BWP BYN BZD CAD CHF CNY
    COP CRC CUP CVE CZK DKK DOP DZD EGP ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HRK HTG
    HUF IDR ILS INR JMD KES KGS KHR KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR
    MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR
    SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SZL THB TOP TRY TTD TWD TZS UAH USD UYU UZS VES WST XCD
    YER ZAR ZMW`,
  3: 'BHD IQD JOD KWD LYD OMR TND',
});
