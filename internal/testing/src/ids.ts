/** Ids the suites share: visitors and a session as DataFast's tracker makes them, a secret. */
export const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';
export const otherVisitor = '6b1f9d4e-2c3a-4e5f-8a7b-9c0d1e2f3a4b';
export const sessionCookie = 's8d7c6b5a-4f3e-4d2c-9b1a-0f9e8d7c6b5a';
export const webhookSecret = 'whsec_test_payment_links_secret';
