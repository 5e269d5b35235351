import { minorUnitTable } from '../minor-units.js';

/**
 * Creem's amounts, in cents ("1000 = $10.00", the `creem` SDK's `TransactionEntity`), for the two
 * currencies its `ProductCurrency` lists.
 */
export const creemCurrencies = minorUnitTable({ 2: 'EUR USD' });
