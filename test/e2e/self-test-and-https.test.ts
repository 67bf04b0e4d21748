/**
 * The self-test as a phone runs it, the secure page, and accessibility: Chromium in the lab's phone
 * namespace, once with the appliance CA in its own certificate store (as a user installs it) and
 * once without, against a real `leakwatch start` in transparent mode with capture on.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, labUnavailable } from '../lab/lab.js';
import type { Lab } from '../lab/lab.js';
import { browseAndReport } from '../lab/leaks.js';
import { startLeakwatch } from '../lab/services.js';
import { ADDR, PORTS } from '../lab/topology.js';
import { requirePrerequisites } from '../support/prerequisites.js';
import { logIn, pageOrigin, saveScreenshot } from './page-helpers.js';
import { browserUnavailable, launchPhoneBrowser, phoneTab } from './phone-browser.js';

const unavailable = requirePrerequisites('the self-test and HTTPS end-to-end tests', labUnavailable() ?? browserUnavailable());
const HTTP_PAGE = pageOrigin('http', ADDR.applianceHotspot, PORTS.api);
const HTTPS_PAGE = pageOrigin('https', ADDR.applianceHotspot, PORTS.apiHttps);
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let lab: Lab | undefined;
let trusting: Browser | undefined;
let untrusting: Browser | undefined;
let applianceCa = '';

/** The self-test's lines as the page shows them: [title, Passed/Failed/Warning/Unknown]. */
async function runSelfTest(page: Page): Promise<[string, string][]> {
  await page.goto(`${HTTP_PAGE}/#/selftest`);
  await page.getByRole('button', { name: 'Run the self-test' }).click();
  await page.locator('lw-selftest ul.checks li').first().waitFor({ timeout: 30_000 });
  const lines = await page.locator('lw-selftest ul.checks li > span:nth-child(2)').allInnerTexts();
  // "title", then the visually hidden "— Passed", then the detail, a line each.
  return lines.map((line) => {
    const [title = '', status = ''] = line.split('\n').map((l) => l.trim());
    return [title, status.replace(/^— /, '')];
  });
}

/** axe-core in the page: violations that are serious or critical, as "rule: target" lines. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const result = await page.evaluate('axe.run(document, { resultTypes: ["violations"] })') as { violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] };
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').flatMap((v) => v.nodes.map((n) => `${v.id}: ${JSON.stringify(n.target)}`));
}

describe.runIf(!unavailable)('the self-test, the secure page and accessibility (Chromium at 10.42.0.1)', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    lab = await createLab();
    applianceCa = await startLeakwatch(lab);
    await browseAndReport(lab, applianceCa, '/world/article-7');
    [trusting, untrusting] = await Promise.all([launchPhoneBrowser(lab, { trustCa: applianceCa }), launchPhoneBrowser(lab)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([trusting?.close(), untrusting?.close()]);
    lab?.destroy();
  });

  it('passes every line for a phone on the hotspot whose browser trusts the appliance CA', async () => {
    const { page } = await phoneTab(trusting!);
    await page.goto(`${HTTP_PAGE}/`);
    await logIn(page, 'lab');
    const lines = await runSelfTest(page);
    expect(lines).toEqual([
      ['This phone is on the hotspot and known by its MAC', 'Passed'],
      ["Its web traffic goes through the appliance's proxy", 'Passed'],
      ["It uses the appliance's DNS", 'Passed'],
      ["This browser trusts the appliance's certificate", 'Passed'],
      ['QUIC (HTTP/3) is blocked, so apps fall back to inspectable TCP', 'Passed'],
      ['Private DNS and DNS-over-HTTPS are off', 'Passed'],
    ]);
    expect(await page.getByRole('heading', { name: 'All set: this phone goes through the appliance.' }).isVisible()).toBe(true);
    await saveScreenshot(page, 'selftest');
  });

  it('fails the certificate line, with the fix, for a browser that does not trust the CA, and still passes the rest', async () => {
    const { page } = await phoneTab(untrusting!);
    await page.goto(`${HTTP_PAGE}/`);
    await logIn(page, 'lab');
    const lines = Object.fromEntries(await runSelfTest(page));
    expect(lines).toMatchObject({ "This browser trusts the appliance's certificate": 'Failed', "Its web traffic goes through the appliance's proxy": 'Passed', "It uses the appliance's DNS": 'Passed' });
    expect(await page.locator('lw-selftest').getByText(/the Setup page has the steps for this phone/).isVisible()).toBe(true);
    // The proxy records the refused handshake when the browser hangs up, which may be just after
    // the page asked; a second run shows what the appliance saw of the first.
    await page.getByRole('button', { name: 'Run it again' }).click();
    await expect.poll(() => page.locator('lw-selftest').getByText('The appliance saw this browser refuse its certificate.').isVisible(), { timeout: 20_000 }).toBe(true);
    await saveScreenshot(page, 'selftest-untrusted');
  });

  it('serves the secure page to a browser that trusts the CA: it says so, and installs its service worker and manifest', async () => {
    const { page } = await phoneTab(trusting!);
    await page.goto(`${HTTPS_PAGE}/`);
    await expect.poll(() => page.getByRole('link', { name: 'Secure page (HTTPS)' }).isVisible()).toBe(true);
    expect(await page.evaluate('window.isSecureContext')).toBe(true);
    await expect.poll(() => page.evaluate('navigator.serviceWorker.getRegistration().then((r) => r ? r.active?.scriptURL ?? "installing" : null)'), { timeout: 15_000 }).toBe(`${HTTPS_PAGE}/sw.js`);
    const manifest = await page.evaluate(`fetch(document.querySelector('link[rel=manifest]').href).then((r) => r.json())`) as { display: string; icons: { src: string }[] };
    expect(manifest.display).toBe('standalone');
    // The icons, fetched by the phone's browser itself (the test process is not on the hotspot).
    expect(await page.evaluate(`Promise.all(${JSON.stringify(manifest.icons.map((i) => i.src))}.map((src) => fetch(src).then((r) => r.status)))`)).toEqual(manifest.icons.map(() => 200));
    // Offline, the shell still opens from the service worker's cache.
    await page.context().setOffline(true);
    try {
      await page.reload();
      await expect.poll(() => page.locator('lw-app').count()).toBe(1);
    } finally {
      await page.context().setOffline(false);
    }
  });

  it('shows a notification for a new alert while the secure page is open in the background', async () => {
    const { context, page } = await phoneTab(trusting!);
    await context.grantPermissions(['notifications'], { origin: HTTPS_PAGE });
    await page.goto(`${HTTPS_PAGE}/`);
    // The phone browses right after the login, while the live stream may still be connecting: the
    // stream starts from the alerts the login's summary counted, so the alert is not lost to that race.
    await logIn(page, 'lab');
    await page.evaluate('navigator.serviceWorker.ready');
    // The phone switched to another app: the page is open but not in front.
    await page.evaluate(`Object.defineProperty(document, 'visibilityState', { get: () => 'hidden' })`);
    await browseAndReport(lab!, applianceCa, '/world/article-8-background');
    await expect.poll(() => page.evaluate('navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((n) => n.map((x) => x.title + " | " + x.body))'), { timeout: 15_000 })
      .toEqual(['leakwatch: high alert | A page you visited was sent to sa.lab-sensors.test (china-linked: owned)']);
  });

  it('is refused by a browser that does not trust the CA (the plain page is the way in)', async () => {
    const { page } = await phoneTab(untrusting!);
    await expect(page.goto(`${HTTPS_PAGE}/`)).rejects.toThrow(/ERR_CERT_AUTHORITY_INVALID/);
  });

  it('has no serious accessibility problems in any view (axe-core), and every view is saved as a screenshot', async () => {
    const { page } = await phoneTab(trusting!);
    await page.goto(`${HTTP_PAGE}/`);
    expect(await seriousViolations(page)).toEqual([]);
    await saveScreenshot(page, 'login');
    await logIn(page, 'lab');
    const problems: string[] = [];
    for (const view of ['alerts', 'devices', 'canary', 'setup', 'selftest', 'settings', 'flows']) {
      await page.goto(`${HTTP_PAGE}/#/${view}`);
      await page.waitForTimeout(800);
      problems.push(...(await seriousViolations(page)).map((v) => `${view}: ${v}`));
      await saveScreenshot(page, `view-${view}`);
    }
    await page.goto(`${HTTP_PAGE}/#/alerts`);
    await page.locator('lit-virtualizer').scrollIntoViewIfNeeded();
    await page.getByRole('link', { name: /was sent to sa\.lab-sensors\.test/ }).first().click();
    await page.getByRole('heading', { name: 'Where it went' }).waitFor();
    problems.push(...(await seriousViolations(page)).map((v) => `alert: ${v}`));
    await page.goto(`${HTTP_PAGE}/#/devices`);
    await page.locator('lw-devices-view a.device').first().click();
    await page.getByRole('heading', { name: 'Where its traffic went' }).waitFor();
    problems.push(...(await seriousViolations(page)).map((v) => `device: ${v}`));
    expect(problems).toEqual([]);
  });
});
