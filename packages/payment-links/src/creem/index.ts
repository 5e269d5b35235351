export { checkoutMetadata, type DatafastMetadata } from '../carriers.js';
export type { CreemApiOptions } from './api.js';
export { withCreemMetadata } from './carriers.js';
export { type CreemEvent, mapCreemEvent, paymentFromCreemCheckout } from './mapping.js';
export { type CreemCheckoutOptions, creemCheckout } from './success.js';
export { type CreemWebhookOptions, checkCreemSignature, creemWebhook } from './webhook.js';
