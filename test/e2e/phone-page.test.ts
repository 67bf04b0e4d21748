/**
 * The web page as the phone sees it: Debian's Chromium in the lab's phone namespace opens
 * http://10.42.0.1:8080/ (a hotspot address: not a secure context, no loopback exemptions), against
 * a real `leakwatch start` whose alerts come from leaks the phone sent through the real redirect.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../appliance/src/store/index.js';
import { strFromU8, unzipSync } from 'fflate';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventLog } from '../lab/event-log.js';
import { createLab, labUnavailable } from '../lab/lab.js';
import type { Lab } from '../lab/lab.js';
import { browseAndReport, sensorsBody } from '../lab/leaks.js';
import { startLeakwatch } from '../lab/services.js';
import { ADDR, PORTS } from '../lab/topology.js';
import { requirePrerequisites } from '../support/prerequisites.js';
import { USER_AGENTS, browserUnavailable, launchPhoneBrowser, phoneTab } from './phone-browser.js';
import { cutPhoneFromPage, deepCount, logIn, pageOrigin, saveScreenshot, showAlertList, viewText } from './page-helpers.js';

const unavailable = requirePrerequisites('the phone page end-to-end tests', labUnavailable() ?? browserUnavailable());
const PAGE = pageOrigin('http', ADDR.applianceHotspot, PORTS.api);
/** Strings an attacker can put in a URL, a header or a device name; they must stay text. */
const HOSTILE_PATH = '/world/<img/src=x/onerror=alert(1)>/<script>alert(2)</script>';

let lab: Lab | undefined;
let applianceCa = '';
let browser: Browser | undefined;
let page: Page;
const log = new EventLog<string>();
const dialogs: string[] = [];

describe.runIf(!unavailable)('the page on the phone (Chromium at 10.42.0.1, plain HTTP)', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    lab = await createLab();
    applianceCa = await startLeakwatch(lab, (line) => log.push(line));
    await browseAndReport(lab, applianceCa, '/world/article-1');
    await log.waitFor((l) => l.includes('/world/article-1'), 15_000);
    browser = await launchPhoneBrowser(lab);
    ({ page } = await phoneTab(browser));
    // The page's clock runs as usual; the sleep test moves it on to wake the stream's watchdog.
    await page.clock.install();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    lab?.destroy();
  });

  it('asks for the admin password, says plainly when it is wrong, then shows the verdict and the alerts', async () => {
    await page.goto(`${PAGE}/`);
    await expect.poll(() => page.getByRole('heading', { name: 'Log in to leakwatch' }).isVisible()).toBe(true);
    await page.getByLabel('Admin password').fill('not it');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('That is not the admin password.');
    await logIn(page, 'lab');
    await expect.poll(() => page.getByText('Your browsing went to Alibaba Cloud in Singapore, china-linked').isVisible(), { timeout: 10_000 }).toBe(true);
    await showAlertList(page);
    await expect.poll(() => page.getByRole('link', { name: /A page you visited was sent to sa\.lab-sensors\.test/ }).count()).toBe(1);
    await saveScreenshot(page, 'alerts');
  });

  it('shows a new alert as it happens, without a reload, and counts it unread', async () => {
    await browseAndReport(lab!, applianceCa, '/world/article-2-live');
    await expect.poll(() => page.getByText('https://news.lab-news.test/world/article-2-live').isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => page.getByRole('link', { name: /was sent to sa\.lab-sensors\.test/ }).count()).toBe(2);
    await expect.poll(() => page.getByRole('link', { name: /^Alerts/ }).textContent()).toContain('2');
  });

  it('shows an alert stored while the page was still connecting its live stream, counted once', async () => {
    const latestSeq = () => page.evaluate(`fetch('/api/alerts/summary').then((r) => r.json()).then((s) => s.latestSeq)`) as Promise<number>;
    const isStream = (url: URL) => url.pathname === '/api/events';
    // The stream's request waits until the alert is stored: the page has its list and counts by then.
    const held: Route[] = [];
    await page.route(isStream, (route) => void held.push(route));
    try {
      await page.reload();
      await showAlertList(page);
      await expect.poll(() => page.getByRole('link', { name: /was sent to sa\.lab-sensors\.test/ }).count(), { timeout: 10_000 }).toBe(2);
      const before = await latestSeq();
      await browseAndReport(lab!, applianceCa, '/world/article-2b-connecting');
      await expect.poll(latestSeq, { timeout: 15_000 }).toBeGreaterThan(before);
      expect(held.length).toBe(1);
    } finally {
      await Promise.all(held.map((route) => route.continue()));
      await page.unroute(isStream);
    }
    await expect.poll(() => page.getByText('https://news.lab-news.test/world/article-2b-connecting').isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => page.getByRole('link', { name: /^Alerts/ }).textContent()).toContain('3');
  });

  it('notices a silently dead stream (a phone that slept, Wi-Fi gone), then catches up on what it missed', async () => {
    const restore = await cutPhoneFromPage(lab!);
    try {
      await browseAndReport(lab!, applianceCa, '/world/article-3-while-asleep');
      // No heartbeat gets through: a minute later the watchdog gives the stream up and reconnects.
      await page.clock.fastForward('01:00');
      await expect.poll(() => page.getByText('Live alerts reconnecting').isVisible(), { timeout: 10_000 }).toBe(true);
      expect(await page.getByText('https://news.lab-news.test/world/article-3-while-asleep').count()).toBe(0);
    } finally {
      await restore();
    }
    await expect.poll(() => page.getByText('https://news.lab-news.test/world/article-3-while-asleep').isVisible(), { timeout: 20_000 }).toBe(true);
    await expect.poll(() => page.getByText('Live alerts reconnecting').isVisible()).toBe(false);
  });

  it('shows the evidence: what was browsed, where it went and why china-linked, the decode chain, the match, the raw request', async () => {
    await page.getByRole('link', { name: /was sent to sa\.lab-sensors\.test/ }).last().click();
    await expect.poll(() => page.getByRole('heading', { name: 'Where it went' }).isVisible()).toBe(true);
    await page.getByText('Decrypted by the appliance').waitFor({ timeout: 15_000 });
    const text = (await viewText(page, 'lw-alert-detail')).replace(/\s+/g, ' ');
    expect(text).toContain('Page https://news.lab-news.test/world/article-1');
    expect(text).toContain('Address 10.99.0.20');
    expect(text).toContain('Network AS45102 Alibaba Cloud');
    expect(text).toMatch(/Why it counts as china-linked .*AS45102/);
    expect(text).toMatch(/form at data_list base64 gzip json at \$\[0\]\.properties\.url/);
    expect(await page.locator('lw-alert-detail mark').textContent()).toBe('https://news.lab-news.test/world/article-1');
    expect(text).toContain('POST https://sa.lab-sensors.test/sa?project=global_browser_mini&r=SG');
    expect(text).toContain('Decrypted by the appliance');
    expect(text).toMatch(/Client \(JA4\) t1[23]d/);
    await saveScreenshot(page, 'alert-detail');
  });

  it('downloads the HAR and the evidence bundle', async () => {
    const har = await download(page, 'HAR');
    expect(JSON.parse(har.toString('utf8')).log.entries.map((e: { request: { url: string } }) => e.request.url)).toContain('https://sa.lab-sensors.test/sa?project=global_browser_mini&r=SG');
    const bundle = unzipSync(await download(page, 'Evidence bundle (.zip)'));
    expect(Object.keys(bundle).sort()).toEqual(expect.arrayContaining(['README.txt', 'SHA256SUMS', 'alert.json', 'flows.har', 'manifest.json']));
    expect(JSON.parse(strFromU8(bundle['alert.json']!)).destination.chinaLinked).toBe(true);
  });

  it('renders hostile strings from traffic as inert text: no dialog, no injected element', async () => {
    await browseAndReport(lab!, applianceCa, HOSTILE_PATH, ['x-page: <img src=x onerror=alert(3)>', 'x-note: <script>alert(4)</script>']);
    await log.waitFor((l) => l.includes('onerror=alert(1)'), 20_000);
    await page.goto(`${PAGE}/#/alerts`);
    await showAlertList(page);
    const hostile = page.getByText(`https://news.lab-news.test${HOSTILE_PATH}`).first();
    await expect.poll(() => hostile.isVisible(), { timeout: 20_000 }).toBe(true);
    await hostile.click();
    await expect.poll(() => page.getByText('<img src=x onerror=alert(3)>').isVisible(), { timeout: 10_000 }).toBe(false);
    await page.getByText(/^Headers/).click();
    await expect.poll(() => page.getByText('<img src=x onerror=alert(3)>').isVisible()).toBe(true);
    expect(await page.getByText('<script>alert(4)</script>').isVisible()).toBe(true);
    expect(dialogs).toEqual([]);
    expect(await deepCount(page, 'img, iframe, object, embed, script:not([src])')).toBe(0);
  });

  it('renames a device, and shows the name as typed, markup included, as text', async () => {
    await page.goto(`${PAGE}/#/devices`);
    await page.locator('lw-devices-view a.device').first().click();
    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByLabel('Name', { exact: true }).fill(`Lin's phone <img src=x onerror=alert(5)>`);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('heading', { name: `Lin's phone <img src=x onerror=alert(5)>` }).isVisible()).toBe(true);
    expect(await viewText(page, 'lw-device-detail')).toMatch(/Where its traffic went[\s\S]*Alibaba Cloud/);
    await saveScreenshot(page, 'device');
    expect(dialogs).toEqual([]);
    expect(await deepCount(page, 'img')).toBe(0);
  });

  it('starts a canary test with one tap, and turns it red when the canary leaves the phone', async () => {
    await page.goto(`${PAGE}/#/canary`);
    await page.getByRole('button', { name: 'Start a canary test' }).click();
    const phrase = await page.locator('lw-canary-view .secret .mono').first().textContent();
    expect(phrase).toMatch(/^leakwatch lwc-[a-z2-9]{8}$/);
    expect(await page.getByText('Watching: not seen leaving the phone yet').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Copy phrase' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Copy phrase' }).textContent()).toBe('Copied');
    await browseAndReport(lab!, applianceCa, `/search?q=${encodeURIComponent(phrase!)}`);
    await expect.poll(() => page.getByText(/^Leaked: seen leaving the phone/).isVisible(), { timeout: 20_000 }).toBe(true);
    await saveScreenshot(page, 'canary');
  });

  it('works from the first-run page on an Android and an iOS phone, offering each its own certificate file', async () => {
    for (const [ua, file, step] of [[USER_AGENTS.android, '/ca/leakwatch-ca.crt', 'Install a certificate → CA certificate'], [USER_AGENTS.ios, '/ca/leakwatch.mobileconfig', 'Certificate Trust Settings']] as const) {
      const { context, page: fresh } = await phoneTab(browser!, ua);
      await fresh.goto(`${PAGE}/#/setup`);
      const link = fresh.getByRole('link', { name: /^Download the/ });
      await expect.poll(() => link.getAttribute('href')).toBe(file);
      expect(await viewText(fresh, 'lw-setup')).toContain(step);
      const downloaded = await download(fresh, /^Download the/);
      expect(downloaded.length).toBeGreaterThan(300);
      await saveScreenshot(fresh, `setup-${ua === USER_AGENTS.ios ? 'ios' : 'android'}`);
      await context.close();
    }
    expect(readFileSync(applianceCa, 'utf8')).toContain('BEGIN CERTIFICATE');
  });
  it('says above the alerts when leakwatch was down, so no alerts then does not read as no leaks', async () => {
    const db = openDatabase(join(lab!.paths.dir, 'appliance-data', 'leakwatch.db'));
    const start = Date.now() - 3 * 3600_000;
    db.prepare('INSERT INTO downtime (start, end, reason) VALUES (?, ?, ?)').run(start, start + 20 * 60_000, 'crashed');
    db.close();
    await page.goto(`${PAGE}/#/devices`);
    await page.goto(`${PAGE}/#/alerts`);
    const note = page.getByRole('note');
    await expect.poll(() => note.isVisible()).toBe(true);
    expect(await note.innerText()).toMatch(/^Not inspected while leakwatch was down\. The phones had internet then, but nothing they sent was looked at:\n.+ – .+ \(it stopped unexpectedly; systemd restarted it\)$/);
  });
  it('runs the incognito experiment: a session, a round per mode, the canary page opened in this browser, a live verdict and a report', async () => {
    await page.goto(`${PAGE}/#/canary`);
    await page.getByLabel('App under test').fill('Mint-like browser');
    await page.getByRole('button', { name: 'Start a session' }).click();
    const session = page.locator('lw-canary-session').first();
    for (const mode of ['normal', 'incognito']) {
      await expect.poll(() => session.getByRole('heading', { name: `Round ${mode === 'normal' ? 1 : 2}: ${mode}` }).isVisible()).toBe(true);
      const link = session.locator('a.mono').last();
      const pageUrl = (await link.textContent())!;
      // The phone's own browser opens the canary page: the hotspot's DNS sends its host to the appliance.
      const [opened] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
      await expect.poll(() => opened.getByRole('heading', { name: 'leakwatch canary page' }).isVisible(), { timeout: 10_000 }).toBe(true);
      await opened.close();
      // The browser under test reports it, as the Mint browser did.
      await lab!.exec('phone', 'curl', ['-sS', '--cacert', applianceCa, '--data', sensorsBody(pageUrl), 'https://sa.lab-sensors.test/sa?project=global_browser_mini']);
      await expect.poll(() => session.getByText('Leaked', { exact: true }).count(), { timeout: 20_000 }).toBe(mode === 'normal' ? 1 : 2);
      if (mode === 'normal') await session.getByRole('button', { name: 'Start an incognito round' }).click();
    }
    await expect.poll(() => session.getByRole('status').first().textContent(), { timeout: 20_000 }).toBe('Incognito leaked the same as normal: to Alibaba Cloud, china-linked (still watching: this may change).');
    await saveScreenshot(page, 'canary-session');
    const markdown = await download(page, 'Markdown');
    expect(markdown.toString('utf8')).toContain('# Canary test: Mint-like browser');
  });
});

/** Clicks the link named `name` and returns what the browser saved. */
async function download(p: Page, name: string | RegExp): Promise<Buffer> {
  const [file] = await Promise.all([p.waitForEvent('download'), p.getByRole('link', { name }).click()]);
  const path = await file.path();
  return readFileSync(path);
}
