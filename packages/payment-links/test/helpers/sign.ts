// The signing helpers live in @datafast-checkout/testing, shared with the CI-only suite of
// provider-published payloads (internal/real-payloads).
export {
  creemRequest,
  lemonSqueezyRequest,
  paddleRequest,
  standardWebhookHeaders,
  standardWebhookRequest,
} from '@datafast-checkout/testing';
