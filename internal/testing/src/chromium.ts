import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/**
 * Debian's Chromium, headless, with the flags this sandbox needs (no network chatter, no
 * sandbox as root) and a fresh profile. Close the returned context to clean everything up.
 */
export async function launchChromium(): Promise<BrowserContext & { dispose(): Promise<void> }> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'datafast-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  return Object.assign(context, {
    async dispose() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  });
}
