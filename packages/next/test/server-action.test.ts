import { expect, it } from 'vitest';
import { getDatafast } from '../src/index.js';

// Inside a Server Action or Server Component (driven in a real browser in examples/next-app),
// getDatafast reads the cookie through cookies(). Outside a request it must not invent a visitor
// or swallow Next's error: during prerendering that error is how Next marks a page dynamic.
it("rejects outside a request with Next's own cookies() error", async () => {
  await expect(getDatafast({ apiKey: 'df_unused' })).rejects.toThrow(/outside a request scope/);
});
