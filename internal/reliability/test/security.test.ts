import { createDatafast } from '@datafast-checkout/core';
import type { DevServer } from '@datafast-checkout/devserver';
import { launchChromium } from '@datafast-checkout/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capture, capturingLogger } from './support/capture.js';
import { startDataFast } from './support/devserver.js';
import { findSecrets, otherWebsiteId, secrets, websiteId } from './support/secrets.js';

let dev: DevServer;
const devLog: string[] = [];
beforeAll(async () => {
  dev = await startDataFast('security', { log: (line) => devLog.push(line) });
});
afterAll(async () => {
  // The request log is output too: it goes through the secret scan with everything else.
  capture('security-request-log', JSON.stringify(dev?.requests()));
  capture('security-devserver', devLog.join('\n'));
  await dev?.close();
});

describe('the secret scan', () => {
  it('finds a planted secret, and says where without repeating it', () => {
    const findings = findSecrets({ 'app.log': `started with key=${secrets.apiKey} ok` });
    expect(findings).toEqual([
      { source: 'app.log', secret: 'apiKey', context: 'started with key=[apiKey] ok' },
    ]);
    expect(JSON.stringify(findings)).not.toContain(secrets.apiKey);
  });
});

// The devserver's authorization rules, written out from its README (and DataFast's pages):
// credential kind x permission x website access, for POST and DELETE alike.
type Credential = {
  name: string;
  header?: string;
  site?: string;
  kind: 'df' | 'dft' | 'none' | 'garbage';
  write?: boolean;
  sites?: string[] | '*';
};
const credentials: Credential[] = [
  { name: 'no Authorization header', kind: 'none' },
  { name: 'another scheme', kind: 'garbage', header: `Basic ${secrets.apiKey}` },
  { name: 'Bearer and nothing', kind: 'garbage', header: 'Bearer' },
  { name: 'a credential of no known kind', kind: 'garbage', header: 'Bearer sk_live_nope' },
  { name: 'an unknown df_ key', kind: 'garbage', header: 'Bearer df_unknown_4f2a9c' },
  { name: 'an unknown dft_ token', kind: 'garbage', header: 'Bearer dft_unknown_4f2a9c' },
  {
    name: "this website's df_ key",
    kind: 'df',
    header: `Bearer ${secrets.apiKey}`,
    site: websiteId,
  },
  {
    name: "the other website's df_ key",
    kind: 'df',
    header: `Bearer ${secrets.otherSiteKey}`,
    site: otherWebsiteId,
  },
  {
    name: 'a dft_ token with payments:write on this website',
    kind: 'dft',
    header: `Bearer ${secrets.token}`,
    write: true,
    sites: [websiteId],
  },
  {
    name: 'a dft_ token without payments:write',
    kind: 'dft',
    header: `Bearer ${secrets.readOnlyToken}`,
    write: false,
    sites: '*',
  },
  {
    name: 'a dft_ token with * on the other website only',
    kind: 'dft',
    header: `Bearer ${secrets.otherSiteToken}`,
    write: true,
    sites: [otherWebsiteId],
  },
];
const websiteIds: Array<string | undefined> = [
  undefined,
  websiteId,
  otherWebsiteId,
  'site_unknown',
];
const known = new Set([websiteId, otherWebsiteId]);

/** The documented answer: 200 and the website acted for, or the refusal's status. */
function documented(
  credential: Credential,
  site: string | undefined,
): { status: number; site?: string } {
  if (credential.kind === 'none' || credential.kind === 'garbage') return { status: 401 };
  if (credential.kind === 'df') {
    return site === undefined || site === credential.site
      ? { status: 200, site: credential.site }
      : { status: 403 };
  }
  if (site === undefined) return { status: 400 };
  if (!credential.write) return { status: 403 };
  if (!known.has(site)) return { status: 404 };
  if (credential.sites !== '*' && !credential.sites?.includes(site)) return { status: 403 };
  return { status: 200, site };
}

describe("the devserver's authorization matrix", () => {
  const cells = credentials.flatMap((credential) =>
    websiteIds.map((site) => ({ credential, site })),
  );

  it(`answers each of the ${cells.length * 2} cells (credential x website, POST and DELETE) as documented, storing and deleting nothing on refusal`, async () => {
    // One payment per cell on each website, for the deletes to aim at.
    for (const [i] of cells.entries()) {
      for (const key of [secrets.apiKey, secrets.otherSiteKey]) {
        const seeded = await fetch(`${dev.url}/api/v1/payments`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ amount: 5, currency: 'USD', transaction_id: `seed_${i}` }),
        });
        expect(seeded.status).toBe(200);
      }
    }
    const mismatches: string[] = [];
    for (const [i, { credential, site }] of cells.entries()) {
      const expected = documented(credential, site);
      const where = `${credential.name}, websiteId ${site ?? '(none)'}`;
      const query = site === undefined ? '' : `?websiteId=${site}`;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (credential.header !== undefined) headers.authorization = credential.header;

      const before = dev.payments().length;
      const post = await fetch(`${dev.url}/api/v1/payments${query}`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ amount: 9.99, currency: 'USD', transaction_id: `cell_${i}` }),
      });
      const postBody = await post.json();
      const stored = dev.payments().filter((p) => p.transaction_id === `cell_${i}`);
      if (post.status !== expected.status)
        mismatches.push(`POST ${where}: ${post.status}, documented ${expected.status}`);
      if (expected.status === 200) {
        if (stored.length !== 1 || stored[0]?.website_id !== expected.site)
          mismatches.push(`POST ${where}: stored ${JSON.stringify(stored)}`);
      } else {
        if (dev.payments().length !== before)
          mismatches.push(`POST ${where}: stored something on refusal`);
        expect(postBody, where).toEqual({
          status: 'error',
          error: { code: expected.status, message: expect.any(String) },
        });
      }

      const sep = query ? '&' : '?';
      const del = await fetch(`${dev.url}/api/v1/payments${query}${sep}transaction_id=seed_${i}`, {
        method: 'DELETE',
        headers,
      });
      await del.arrayBuffer();
      const left = dev
        .payments()
        .filter((p) => p.transaction_id === `seed_${i}`)
        .map((p) => p.website_id)
        .sort();
      if (del.status !== expected.status)
        mismatches.push(`DELETE ${where}: ${del.status}, documented ${expected.status}`);
      const shouldBeLeft = [websiteId, otherWebsiteId]
        .filter((s) => expected.status !== 200 || s !== expected.site)
        .sort();
      if (JSON.stringify(left) !== JSON.stringify(shouldBeLeft))
        mismatches.push(`DELETE ${where}: left ${left.join(',')}`);
    }
    expect(mismatches).toEqual([]);
  });
});

// Ids and fields as an attacker (or a buggy integration) might send them.
const hostile = {
  crlf: 'txn_crlf\r\nX-Injected: yes\r\n\r\n<b>body</b>',
  html: '<img src=x onerror="window.__xss=1">',
  script: '<script>window.__xss=2</script>',
  attribute: '"><svg onload="window.__xss=3">',
  separator: 'txn_sep\u2028[datafast-checkout] forged',
  oversized: `txn_${'x'.repeat(10_000)}`,
};

describe('CR/LF, HTML and oversized ids', () => {
  it('go to the API as JSON data, never into a header or a log line, and are deleted by their exact id', async () => {
    const logger = capturingLogger('security-client');
    const datafast = createDatafast({
      apiKey: secrets.apiKey,
      baseUrl: dev.url,
      debug: true,
      logger,
    });
    for (const [name, id] of Object.entries(hostile)) {
      await datafast.payments.create({
        amount: 1,
        currency: 'USD',
        transaction_id: id,
        email: `${name}@example.com`,
        name: hostile.html,
        customer_id: hostile.crlf,
      });
      datafast.track({
        amount: 2,
        currency: 'USD',
        transaction_id: `${id}_tracked`,
        datafast_visitor_id: id,
      });
    }
    await datafast.flush(10_000);
    const ids = new Set(dev.payments().map((p) => p.transaction_id));
    for (const id of Object.values(hostile)) {
      expect(ids.has(id)).toBe(true);
      expect(ids.has(`${id}_tracked`)).toBe(true);
    }

    // The id comes back as JSON data, and nothing of it in a header.
    const answer = await fetch(`${dev.url}/api/v1/payments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secrets.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ amount: 1, currency: 'USD', transaction_id: hostile.crlf }),
    });
    expect(await answer.json()).toMatchObject({ transaction_id: hostile.crlf });
    for (const [name, value] of answer.headers) {
      expect(`${name}: ${value}`).not.toMatch(/injected|txn_crlf|<|>/i);
    }

    // One line per log call, bounded, in the client's log and the devserver's.
    expect(logger.lines.length).toBeGreaterThan(0);
    for (const line of [...logger.lines, ...devLog]) {
      expect(line).not.toMatch(/[\r\n\u2028\u2029]/);
      expect(line.length).toBeLessThan(600);
    }
    for (const line of devLog) expect(line).not.toMatch(/[<>"]/);

    const deleted = await datafast.payments.delete({ transaction_id: hostile.crlf });
    expect(deleted).toEqual([expect.objectContaining({ transaction_id: hostile.crlf })]);
    expect(dev.payments().some((p) => p.transaction_id === hostile.crlf)).toBe(false);
    expect(dev.requests().at(-1)?.query).toEqual({ transaction_id: hostile.crlf });
  });

  it('show as text on the dashboard, in Chromium: no markup, no script', async () => {
    const datafast = createDatafast({
      apiKey: secrets.apiKey,
      baseUrl: dev.url,
      logger: capturingLogger('security-xss'),
    });
    const marker = 'txn_xss_marker';
    for (const id of [...Object.values(hostile).map((id) => `${id}_dashboard`), marker]) {
      await datafast.payments.create({
        amount: 3,
        currency: 'EUR',
        transaction_id: id,
        email: hostile.attribute,
        name: hostile.script,
        customer_id: hostile.html,
      });
    }
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      await page.goto(`${dev.url}/`);
      await page.waitForSelector(`#payments tr[data-transaction-id="${marker}"]`);
      // Typing the payload into the search box renders it through the filters as well.
      await page.fill('#f-text', hostile.html);

      expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
      expect(dialogs).toEqual([]);
      expect(
        await page.locator('#payments img, #payments svg, #payments script, #payments b').count(),
      ).toBe(0);
      await page.fill('#f-text', '');
      const text = (await page.textContent('#payments')) ?? '';
      expect(text).toContain(`${hostile.html}_dashboard`);
      expect(text).toContain(`${hostile.script}_dashboard`);
      expect(text).toContain(hostile.attribute);
      capture('security-dashboard', await page.content());
    } finally {
      await browser.dispose();
    }
  });
});
