/**
 * Passthrough must be earned. A real Chromium on the phone, trusting the appliance CA, browses a
 * news page that carries a third-party tracker over HTTPS: Chromium opens spare connections and
 * cuts some handshakes short, which must not count as refusing our certificate. Everything it sends
 * is inspected, nothing is passed through, and the page and its tracker keep loading on reload
 * (a tracker host wrongly passed through would fail there with ERR_CERT_AUTHORITY_INVALID).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, labUnavailable } from '../lab/lab.js';
import type { Lab } from '../lab/lab.js';
import { startLeakwatch } from '../lab/services.js';
import { ADDR, NAMES, PORTS } from '../lab/topology.js';
import { requirePrerequisites } from '../support/prerequisites.js';
import { browserUnavailable, launchPhoneBrowser, phoneTab } from './phone-browser.js';
import { logIn, viewText } from './page-helpers.js';

const unavailable = requirePrerequisites('the passthrough end-to-end test', labUnavailable() ?? browserUnavailable());
const API = `http://${ADDR.applianceHotspot}:${PORTS.api}`;

let lab: Lab | undefined;
let browser: Browser | undefined;
const stderr: string[] = [];

/** The admin API, asked from the phone (the appliance's page is on the hotspot, not on loopback). */
let loggedIn = false;
async function api<T>(path: string): Promise<T> {
  const jar = `${lab!.paths.dir}/passthrough-cookies`;
  if (!loggedIn) await lab!.exec('phone', 'curl', ['-sS', '-c', jar, '-H', 'content-type: application/json', '--data', '{"password":"lab"}', `${API}/api/login`]);
  loggedIn = true;
  return JSON.parse((await lab!.exec('phone', 'curl', ['-sS', '-b', jar, `${API}${path}`])).stdout) as T;
}

describe.runIf(!unavailable)('passthrough is earned (Chromium on the phone, a tracker on the page)', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    lab = await createLab();
    const ca = await startLeakwatch(lab, (line) => stderr.push(line));
    browser = await launchPhoneBrowser(lab, { trustCa: ca });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    lab?.destroy();
  });

  it('inspects the page and its tracker on every load, and passes nothing through', async () => {
    // Loads cut short as a person does it (back, close the tab): the tracker's handshakes are in
    // flight when their tab goes away, and end closed.
    for (let cut = 1; cut <= 6; cut++) {
      const { context, page } = await phoneTab(browser!);
      await page.goto(`https://${NAMES.news}/tracked/cut-${cut}`, { waitUntil: 'commit' }).catch(() => undefined);
      await context.close();
    }
    const { context, page } = await phoneTab(browser!);
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText ?? ''}`));
    for (let load = 1; load <= 3; load++) {
      const answer = await page.goto(`https://${NAMES.news}/tracked/story-${load}`, { waitUntil: 'load' });
      expect(answer?.status()).toBe(200);
      expect(await page.locator('h1').textContent()).toBe('lab news');
      await lab!.internet.waitFor((e) => e.site === 'telemetry' && e.url === `/hm.gif?u=${encodeURIComponent(`/tracked/story-${load}`)}`, 15_000);
    }
    await context.close();
    expect(failed.filter((f) => /ERR_CERT|ERR_SSL|ERR_CONNECTION/.test(f))).toEqual([]);

    const devices = await api<{ id: string; ip: string }[]>('/api/devices');
    const phone = devices.find((d) => d.ip === lab!.addresses.phone)!;
    expect(await api(`/api/devices/${encodeURIComponent(phone.id)}/passthrough`)).toEqual([]);
    expect((await api<{ notInspected: unknown }>('/api/system')).notInspected).toEqual({ hosts: 0, devices: 0, reasons: { 'certificate-rejected': 0, 'repeated-refusals': 0, 'refused-after-accepting': 0 } });
    // Read inside TLS: requests with their paths; a passed-through connection would be a bare CONNECT.
    const trackerFlows = (await api<{ flows: { method: string; url: string }[] }>(`/api/flows?host=${NAMES.telemetry}&limit=100`)).flows;
    expect(trackerFlows.filter((f) => f.url.includes('/hm.gif?u=')).length).toBeGreaterThanOrEqual(3);
    expect(trackerFlows.filter((f) => f.method === 'CONNECT')).toEqual([]);
    expect(stderr.filter((l) => /pass through uninspected|now rejects it/.test(l))).toEqual([]);
  });

  it('shows on the device page, at a phone size from the hotspot address, a host an app refused to let it read, with why and when it is tried again', async () => {
    // An app that does not trust the appliance CA (curl without it) refuses with a TLS alert.
    expect((await lab!.exec('phone', 'curl', ['-sS', '--max-time', '10', `https://${NAMES.news}/pinned-app`])).code).not.toBe(0);
    const phone = (await api<{ id: string; ip: string }[]>('/api/devices')).find((d) => d.ip === lab!.addresses.phone)!;
    await expect.poll(async () => (await api<{ host: string }[]>(`/api/devices/${encodeURIComponent(phone.id)}/passthrough`)).map((h) => h.host)).toEqual([NAMES.news]);
    const { context, page } = await phoneTab(browser!);
    await page.goto(`${API}/`);
    await logIn(page, 'lab');
    await page.goto(`${API}/#/devices/${encodeURIComponent(phone.id)}`);
    await expect.poll(() => viewText(page, 'lw-device-detail')).toMatch(new RegExp(`Not inspected[\\s\\S]*${NAMES.news.replace(/\./g, '\\.')}[\\s\\S]*an app refused the appliance certificate; tried again in 30 minutes`));
    await context.close();
  });
});
