import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Browser, Page } from 'playwright-core';

/** The devserver's dashboard open in Chromium, read as a user reads it. */
export interface DashboardPage {
  readonly page: Page;
  /**
   * The text of the "Revenue by source" row for `source` (`newsletter`, `Direct`,
   * `(unattributed)`), once the dashboard shows it: `newsletter 1 $29.99`.
   */
  revenueBySource(source: string): Promise<string>;
  /** The line that says how much revenue arrived unattributed. */
  unattributed(): Promise<string>;
  /** Saves a full-page screenshot (the folder is created). */
  screenshot(path: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens the dashboard of a devserver in a window of its own (a background tab would pause its
 * drawing) and resolves once it is live.
 *
 * @example
 * const dashboard = await openDashboard(browser, dev.url); expect(await dashboard.revenueBySource('newsletter')).toContain('$29.99')
 */
export async function openDashboard(browser: Browser, devUrl: string): Promise<DashboardPage> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${devUrl}/`);
  await page.waitForSelector('body[data-connected="true"]');
  const text = async (selector: string) =>
    ((await page.locator(selector).textContent()) ?? '').replace(/\s+/g, ' ').trim();
  return {
    page,
    async revenueBySource(source) {
      const selector = `#by-source tr[data-key="${source.replaceAll('"', '\\"')}"]`;
      await page.waitForSelector(selector);
      return text(selector);
    },
    unattributed: () => text('#unattributed'),
    async screenshot(path) {
      await mkdir(dirname(path), { recursive: true });
      await page.screenshot({ path, fullPage: true });
    },
    close: () => context.close(),
  };
}
