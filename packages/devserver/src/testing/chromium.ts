import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';

/** Where {@link launchChromium} and {@link launchBrowser} find Chromium, and what they add. */
export interface ChromiumOptions {
  /**
   * The browser binary. Default: `CHROMIUM_PATH`, else the first of the usual Chromium and Chrome
   * paths that exists, else the browser `npx playwright install chromium` downloaded.
   */
  executablePath?: string;
  /** Extra switches, e.g. `--host-resolver-rules=MAP *.example.test 127.0.0.1`. */
  args?: string[];
}

/** A browser context on a fresh profile; `dispose()` closes it and deletes the profile. */
export type DisposableContext = BrowserContext & { dispose(): Promise<void> };

const KNOWN_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

// Tests open local pages only. Without a sandbox Chromium also runs as root in a container, and
// none of the background connections (updates, sync, QUIC) reach for the internet.
const SWITCHES = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

async function playwright(): Promise<typeof import('playwright-core')> {
  try {
    return await import('playwright-core');
  } catch {
    throw new Error(
      'launchChromium needs playwright-core: npm install --save-dev playwright-core (it drives a ' +
        'Chromium you have; set CHROMIUM_PATH to its binary)',
    );
  }
}

function launchOptions(options: ChromiumOptions) {
  const executablePath =
    options.executablePath ?? process.env.CHROMIUM_PATH ?? KNOWN_PATHS.find((p) => existsSync(p));
  return {
    headless: true,
    args: [...SWITCHES, ...(options.args ?? [])],
    ...(executablePath ? { executablePath } : {}),
  };
}

/**
 * Headless Chromium through `playwright-core` (an optional peer dependency); each
 * `newContext()` is a fresh profile.
 *
 * @example
 * const browser = await launchBrowser({ args: ['--host-resolver-rules=MAP *.test 127.0.0.1'] })
 */
export async function launchBrowser(options: ChromiumOptions = {}): Promise<Browser> {
  const { chromium } = await playwright();
  return chromium.launch(launchOptions(options));
}

/**
 * One headless Chromium context on a fresh profile directory, for a test that pays in a browser.
 *
 * @example
 * const browser = await launchChromium(); const page = await browser.newPage(); await browser.dispose()
 */
export async function launchChromium(options: ChromiumOptions = {}): Promise<DisposableContext> {
  const { chromium } = await playwright();
  const userDataDir = await mkdtemp(join(tmpdir(), 'datafast-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, launchOptions(options));
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
  return Object.assign(context, {
    async dispose() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  });
}
