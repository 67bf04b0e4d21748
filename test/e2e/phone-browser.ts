/**
 * The phone's own browser for end-to-end tests: Debian's Chromium, driven by playwright-core, run
 * inside the lab's phone namespace (so it browses from a hotspot address through the real
 * redirect, never from 127.0.0.1), at a phone's size with touch. Trusting the appliance CA is done
 * as a user does it: the certificate goes into the browser's own NSS store.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Lab } from '../lab/lab.js';

export const CHROMIUM = '/usr/bin/chromium';

export const USER_AGENTS = {
  android: 'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  ios: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
} as const;

/** Why the phone's browser cannot run here, or undefined. */
export function browserUnavailable(): string | undefined {
  for (const [tool, pkg] of [[CHROMIUM, 'chromium'], ['certutil', 'libnss3-tools']] as const) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      return `the phone's browser needs ${tool} (apt-get install ${pkg})`;
    }
  }
  return undefined;
}

/** Launches Chromium in the phone's namespace; `trustCa`: a PEM file the browser trusts, as if the user installed it. */
export async function launchPhoneBrowser(lab: Lab, options: { trustCa?: string } = {}): Promise<Browser> {
  const home = mkdtempSync(join(lab.paths.dir, 'phone-home-'));
  if (options.trustCa) {
    const db = `sql:${join(home, '.pki', 'nssdb')}`;
    mkdirSync(join(home, '.pki', 'nssdb'), { recursive: true });
    execFileSync('certutil', ['-N', '-d', db, '--empty-password']);
    execFileSync('certutil', ['-A', '-d', db, '-n', 'leakwatch CA', '-t', 'C,,', '-i', options.trustCa]);
  }
  const wrapper = join(home, 'chromium-in-phone.sh');
  // exec keeps Playwright's pipes to the browser; HOME points Chromium at this phone's own certificate store.
  writeFileSync(wrapper, `#!/bin/sh\nexport HOME='${home}'\nexec ip netns exec '${lab.ns.phone}' ${CHROMIUM} "$@"\n`, { mode: 0o755 });
  return chromium.launch({
    executablePath: wrapper,
    timeout: 60_000,
    // As on the probe machine: no background traffic, no first-run UI, no GPU.
    args: ['--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-default-apps'],
  });
}

/** A phone-sized tab (390 × 844, touch) with the given browser identity. */
export async function phoneTab(browser: Browser, userAgent: string = USER_AGENTS.android, extra: Parameters<Browser['newContext']>[0] = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, userAgent, acceptDownloads: true, ...extra });
  const page = await context.newPage();
  return { context, page };
}
