import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { Lab } from '../lab/lab.js';
import { ADDR, PORTS } from '../lab/topology.js';

/** Screenshots of every view land here (git-ignored): test artefacts, and the source of README's pictures. */
export const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts/ui');

/** The page's origin as a browser writes it: no port when it is the scheme's own (http://10.42.0.1). */
export function pageOrigin(scheme: 'http' | 'https', host: string, port: number): string {
  return `${scheme}://${host}${port === (scheme === 'http' ? 80 : 443) ? '' : `:${port}`}`;
}

export async function saveScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });
}

/** Scrolls the alerts list into view: its rows are drawn only once they are on screen (virtualised). */
export async function showAlertList(page: Page): Promise<void> {
  await page.locator('lit-virtualizer').scrollIntoViewIfNeeded();
}

export async function logIn(page: Page, password: string): Promise<void> {
  await page.getByLabel('Admin password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('navigation', { name: 'Views' }).waitFor({ timeout: 10_000 });
}

/** The visible text of a view's sections (Playwright reads through its shadow root), whitespace folded. */
export async function viewText(page: Page, tag: string): Promise<string> {
  return (await page.locator(tag).locator('section, h1, p, dl').allInnerTexts()).join('\n').replace(/[ \t]+/g, ' ');
}

/** How many elements match `selector` anywhere in the page, inside every shadow root too. */
export function deepCount(page: Page, selector: string): Promise<number> {
  // A string: this runs in the page, which the Node-side type checker has no DOM types for.
  return page.evaluate(`(() => {
    let count = 0;
    const walk = (root) => {
      count += root.querySelectorAll(${JSON.stringify(selector)}).length;
      for (const element of root.querySelectorAll('*')) if (element.shadowRoot) walk(element.shadowRoot);
    };
    walk(document);
    return count;
  })()`);
}

/**
 * Cuts the phone off from the appliance's page and API (both directions, silently, as a phone that
 * slept or lost the Wi-Fi) with a table of its own in the phone's namespace; returns the undo.
 */
export async function cutPhoneFromPage(lab: Lab): Promise<() => Promise<void>> {
  const rules = [
    'table inet lw_test_cut {',
    `  chain out { type filter hook output priority 0; ip daddr ${ADDR.applianceHotspot} tcp dport { ${PORTS.api}, ${PORTS.apiHttps} } drop; }`,
    `  chain in { type filter hook input priority 0; ip saddr ${ADDR.applianceHotspot} tcp sport { ${PORTS.api}, ${PORTS.apiHttps} } drop; }`,
    '}',
  ].join('\n');
  const file = join(lab.paths.dir, 'cut.nft');
  writeFileSync(file, rules);
  const added = await lab.exec('phone', 'nft', ['-f', file]);
  if (added.code !== 0) throw new Error(`could not cut the phone off: ${added.stderr}`);
  return async () => {
    await lab.exec('phone', 'nft', ['delete', 'table', 'inet', 'lw_test_cut']);
  };
}
