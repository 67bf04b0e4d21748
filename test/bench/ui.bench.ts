/**
 * Web page benchmark (part of `npm run bench`): what the phone downloads on its first load (gzip,
 * budget 100 KB), and how long the alerts view takes to show with 1,000 stored alerts in Chromium
 * slowed 4× (a phone-class CPU), against the floor of the same view on an empty store in the same
 * run; then scrolling through all 1,000 (paged from the API, only visible rows rendered): how long,
 * and the longest main-thread task while scrolling.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import type { Page } from 'playwright-core';
import { AdminAuth } from '../../appliance/src/api/auth.js';
import { AlertStore, openDatabase } from '../../appliance/src/store/index.js';
import { alert, flowFor } from '../integration/store/samples.js';
import { LeakwatchProcess } from '../support/leakwatch-process.js';
import { freePort } from '../support/ports.js';
import { serviceCommand } from './service-command.js';

const ALERTS = 1000;
const THROTTLE = 4;
const PASSWORD = 'bench-password';
const runs = Number(process.env.LEAKWATCH_BENCH_RUNS ?? 3);
const root = mkdtempSync(join(tmpdir(), 'lw-bench-ui-'));

/** A data dir with `count` stored alerts from two devices to a handful of receivers. */
function seed(dir: string, count: number): void {
  const db = openDatabase(join(dir, 'leakwatch.db'));
  AdminAuth.init(db, PASSWORD);
  const store = new AlertStore(db);
  const owners = ['Xiaomi', 'Baidu', 'Tencent', 'ByteDance', 'Google LLC'];
  const batch = Array.from({ length: count }, (_, n) => {
    const a = alert(`bench-${n}`, n, Date.now() - (count - n) * 60_000);
    const withOwner = { ...a, destination: { ...a.destination, owner: owners[n % owners.length] }, flow: { ...a.flow, id: `flow-bench-${n}` } };
    return { flow: flowFor(withOwner, 512), alerts: [withOwner] };
  });
  store.recordMany(batch, undefined);
  db.close();
}

async function start(count: number): Promise<{ leakwatch: LeakwatchProcess; url: string }> {
  const dir = join(root, `data-${count}`);
  seed(dir, count);
  const [proxy, api, https] = [await freePort(), await freePort(), await freePort()];
  const service = serviceCommand();
  const leakwatch = await LeakwatchProcess.start([], { LEAKWATCH_DATA_DIR: dir, LEAKWATCH_PROXY_PORT: String(proxy), LEAKWATCH_API_PORT: String(api), LEAKWATCH_API_HTTPS_PORT: String(https), LEAKWATCH_API_PASSWORD: PASSWORD, ...service.env }, service);
  return { leakwatch, url: `http://127.0.0.1:${api}` };
}

/** Logs in, then measures from navigation to the alerts view drawn: the verdicts, then the first row scrolled to (or the empty state). */
async function firstRender(page: Page, url: string): Promise<number> {
  await page.goto(`${url}/#/login`);
  await page.getByLabel('Admin password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('navigation', { name: 'Views' }).waitFor();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
  const t = performance.now();
  await page.goto(`${url}/#/alerts`);
  await page.locator('lw-verdict, lw-alerts-view .empty').first().waitFor({ timeout: 60_000 });
  // The list starts below the verdicts: the virtualizer draws rows only once they scroll into view.
  if ((await page.locator('lw-verdict').count()) > 0) {
    await page.locator('lit-virtualizer').scrollIntoViewIfNeeded();
    await page.locator('lw-alert-row').first().waitFor({ timeout: 60_000 });
  }
  return performance.now() - t;
}

/** Scrolls to the end until all `count` alerts are loaded; the time it took and the longest task meanwhile. */
async function scrollThrough(page: Page, count: number): Promise<{ ms: number; longestTaskMs: number }> {
  await page.evaluate(`window.__longest = 0; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longest = Math.max(window.__longest, e.duration); }).observe({ type: 'longtask' })`);
  const t = performance.now();
  const loaded = () => page.evaluate(`document.querySelector('lw-app').shadowRoot.querySelector('lw-alerts-view').alerts.length`) as Promise<number>;
  while ((await loaded()) < count) {
    await page.mouse.wheel(0, 4000);
    await page.waitForTimeout(50);
    if (performance.now() - t > 120_000) throw new Error(`only ${await loaded()} of ${count} alerts loaded after 2 minutes of scrolling`);
  }
  return { ms: performance.now() - t, longestTaskMs: (await page.evaluate('window.__longest')) as number };
}

function firstLoadBytes(urls: string[]): { files: number; gzip: number; raw: number } {
  const dist = join(import.meta.dirname, '../../ui/dist');
  let gzip = 0;
  let raw = 0;
  for (const url of urls) {
    const path = new URL(url).pathname;
    const body = readFileSync(join(dist, path === '/' ? 'index.html' : path));
    raw += body.length;
    gzip += gzipSync(body, { level: 9 }).length;
  }
  return { files: urls.length, gzip, raw };
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const empty = await start(0);
const full = await start(ALERTS);
try {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const shell: string[] = [];
  page.on('response', (r) => {
    const u = new URL(r.url());
    if (!u.pathname.startsWith('/api/')) shell.push(r.url());
  });
  // The first load: the login page, then the alerts view with its list (the virtualizer's layout is a chunk of its own).
  await page.goto(`${full.url}/`);
  await page.getByLabel('Admin password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.locator('lit-virtualizer').scrollIntoViewIfNeeded();
  await page.locator('lw-alert-row').first().waitFor();
  await page.waitForLoadState('networkidle');
  const bytes = firstLoadBytes([...new Set(shell)]);
  await context.close();

  const floor: number[] = [];
  const measured: number[] = [];
  let scroll = { ms: NaN, longestTaskMs: NaN };
  for (let i = 0; i < runs; i++) {
    for (const [target, into] of [[empty, floor], [full, measured]] as const) {
      const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      const p = await ctx.newPage();
      into.push(await firstRender(p, target.url));
      if (target === full && i === runs - 1) scroll = await scrollThrough(p, ALERTS);
      await ctx.close();
    }
  }
  const best = (xs: number[]) => Math.min(...xs);
  process.stdout.write([
    `\nweb page benchmark — Chromium ${browser.version()}, phone viewport, CPU throttled ${THROTTLE}×, best of ${runs}, Node ${process.version}`,
    `  first load (login, then the alerts view): ${bytes.files} files, ${(bytes.gzip / 1024).toFixed(1)} KB gzip (${(bytes.raw / 1024).toFixed(1)} KB raw); budget 100 KB gzip → ${((bytes.gzip / 1024 / 100) * 100).toFixed(0)} % of it`,
    `  alerts view, ${ALERTS} alerts stored: ${best(measured).toFixed(0)} ms to the first row; floor (the same view, empty store): ${best(floor).toFixed(0)} ms; ratio ${(best(measured) / best(floor)).toFixed(2)}`,
    `  scrolling through all ${ALERTS} (paged 100 at a time, only visible rows rendered): ${(scroll.ms / 1000).toFixed(1)} s, longest main-thread task ${scroll.longestTaskMs.toFixed(0)} ms`,
    '',
  ].join('\n'));
} finally {
  await browser.close();
  await Promise.all([empty.leakwatch.stop(), full.leakwatch.stop()]);
  rmSync(root, { recursive: true, force: true });
}
