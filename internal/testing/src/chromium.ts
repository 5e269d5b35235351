import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Headless Chromium as root in a sandbox with no internet: no sandboxing, and none of the
// background connections (updates, sync, QUIC) that this machine's closed network refuses.
const args = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * Debian's Chromium (or `CHROMIUM_PATH`), headless; each `newContext()` is a fresh profile.
 * `extraArgs` adds switches, e.g. `--host-resolver-rules=MAP *.example.test 127.0.0.1`.
 */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: [...args, ...extraArgs] });
}

/**
 * One persistent browser context with a fresh profile directory. `dispose()` closes it and
 * removes the profile.
 */
export async function launchChromium(): Promise<BrowserContext & { dispose(): Promise<void> }> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'datafast-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args,
  });
  return Object.assign(context, {
    async dispose() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  });
}
