// Inputs every row shares.

export const visitorId = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';
export const apiKey = 'df_bench_key';

/**
 * A browser's `Cookie` header on a shop: analytics, consent and session cookies beside
 * DataFast's two, the visitor id in the middle. What the middleware rows parse.
 */
export const cookieHeader = [
  '_ga=GA1.1.1234567890.1767225600',
  'cookie_consent=analytics%3Dtrue%26marketing%3Dfalse',
  `datafast_visitor_id=${visitorId}`,
  'datafast_session_id=s8f14e45f-ceea-467f-a0f6-0c0a7bd4e3a1',
  'theme=dark',
  'session=eyJ1c2VyIjoxMjM0NSwiY2FydCI6WzEsMiwzXX0.Zx3kfw.sig',
].join('; ');

/** The checkout request body every checkout route gets. */
export const orderBody = JSON.stringify({
  amount: 29.99,
  currency: 'USD',
  email: 'ada@example.com',
});
