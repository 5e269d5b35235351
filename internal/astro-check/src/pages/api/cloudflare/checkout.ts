export { POST } from '../checkout.js';
