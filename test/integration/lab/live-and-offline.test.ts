/**
 * Issue 12's classes as live traffic through the real redirect, then the same requests, exported by
 * the appliance as HAR, through `analyze`: the verdicts must be the same. The phone (curl) plays a
 * browser whose built-in feed page reports a visited page with browser headers (a leak), a web
 * page's third-party tracker reporting the page itself (a web tracker, no alert), an app sending a
 * SHA-1 of the visited host inside MIME-wrapped base64 in a form, and an app report seen just before
 * the page load it reports (suspected, then upgraded to confirmed under the same id).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeFiles } from '../../../appliance/src/analyze/analyze.js';
import { loadIntel } from '../../../appliance/src/intel/index.js';
import type { Alert } from '../../../appliance/src/model/index.js';
import { NAMES, createLab, labUnavailable } from '../../lab/lab.js';
import type { Lab } from '../../lab/lab.js';
import { startLeakwatch } from '../../lab/services.js';
import { ADDR, PORTS } from '../../lab/topology.js';
import { requirePrerequisites } from '../../support/prerequisites.js';

const unavailable = requirePrerequisites('the live-and-offline lab test', labUnavailable());

const BROWSER = 'Mozilla/5.0 (Linux; Android 11; Redmi Note 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36 XiaoMi/MiuiBrowser/14.3';
const APP = 'Dalvik/2.1.0 (Linux; U; Android 11; Redmi Note 8)';
const API = `http://${ADDR.applianceHotspot}:${PORTS.api}`;

let lab: Lab | undefined;
let applianceCa = '';
let jar = '';

async function phone(args: string[]): Promise<string> {
  const r = await lab!.exec('phone', 'curl', ['-sS', '--max-time', '15', '--cacert', applianceCa, '-b', jar, '-c', jar, ...args]);
  if (r.code !== 0) throw new Error(`curl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
const api = async <T>(path: string): Promise<T> => JSON.parse(await phone([`${API}${path}`])) as T;
const navigate = (page: string) => phone(['-H', 'accept: text/html', '-H', 'sec-fetch-mode: navigate', '-H', 'sec-fetch-dest: document', '-H', 'sec-fetch-site: none', '-A', BROWSER, page]);
const sentToTelemetry = (body: string) => lab!.internet.waitFor((e) => e.site === 'telemetry' && e.body === body);

/** What an alert accuses, without the ids and times that differ between a live run and a replay. */
const verdict = (a: Alert) => [a.confidence, a.data.kind, a.data.value, a.destination.host, a.destination.chinaLinked, a.upgradedFrom ?? '-'].join(' | ');

describe.runIf(!unavailable)('detection live through the redirect and offline from the exported requests', () => {
  beforeAll(async () => {
    lab = await createLab();
    applianceCa = await startLeakwatch(lab);
    jar = join(lab.paths.dir, 'phone-cookies');
    await phone(['-H', 'content-type: application/json', '--data', '{"password":"lab"}', `${API}/api/login`]);
  }, 90_000);

  afterAll(() => lab?.destroy());

  it('raises the same alerts from live traffic as from its HAR, and lists the web tracker instead of accusing the phone', async () => {
    const visited = `https://${NAMES.news}/world/visited-1`;
    const later = `https://${NAMES.news}/world/reported-before-loading-2`;
    // First, before the phone browsed anything on the site: an app report recorded just before the
    // page load it reports is suspected, then upgraded to confirmed when the page load shows up.
    const early = JSON.stringify({ page_url: later });
    await phone(['-A', APP, '-H', 'content-type: application/json', '--data', early, `https://${NAMES.telemetry}/sa/early`]);
    await sentToTelemetry(early);
    await navigate(later);
    await navigate(visited);

    // The browser's own feed page reports the visited page, with every browser header.
    const feedBody = JSON.stringify({ ev: 'history_sync', items: [{ url: visited }] });
    await phone(['-A', BROWSER, '-H', `referer: https://${NAMES.telemetry}/home`, '-H', `origin: https://${NAMES.telemetry}`, '-H', 'sec-fetch-mode: cors', '-H', 'sec-fetch-dest: empty', '-H', 'sec-fetch-site: same-origin', '-H', 'content-type: application/json', '--data', feedBody, `https://${NAMES.telemetry}/api/track`]);
    await sentToTelemetry(feedBody);

    // A tracker on the news page reports that page: the page's doing.
    await phone(['-A', BROWSER, '-H', `referer: ${visited}`, '-H', 'sec-fetch-mode: no-cors', '-H', 'sec-fetch-dest: image', '-H', 'sec-fetch-site: cross-site', `https://${NAMES.telemetry}/hm.gif?si=1&u=${encodeURIComponent(visited)}`]);
    await lab!.internet.waitFor((e) => e.site === 'telemetry' && (e.url ?? '').startsWith('/hm.gif'));

    // An app sends a SHA-1 of the visited host inside MIME line-wrapped base64, + sent raw.
    const envelope = Buffer.from(JSON.stringify({ v: 2, h: createHash('sha1').update(NAMES.news).digest('hex'), pad: 'p'.repeat(90) })).toString('base64').replace(/(.{76})/g, '$1\r\n');
    const formBody = `a=1&d=${envelope.replace(/\r\n/g, '%0D%0A')}`;
    await phone(['-A', APP, '--data', formBody, `https://${NAMES.telemetry}/mistats/v3`]);
    await sentToTelemetry(formBody);

    const expected = [
      `confirmed | url | ${visited} | ${NAMES.telemetry} | true | -`,
      `confirmed | host | ${NAMES.news} | ${NAMES.telemetry} | true | -`,
      `confirmed | url | ${later} | ${NAMES.telemetry} | true | suspected`,
    ].sort();
    let live: Alert[] = [];
    for (let i = 0; i < 60; i++) {
      live = await api<Alert[]>('/api/alerts?limit=100');
      if (live.map(verdict).sort().join('\n') === expected.join('\n')) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(live.map(verdict).sort()).toEqual(expected);
    expect(await api<{ trackers: unknown[] }>('/api/web-trackers')).toEqual({
      trackers: [expect.objectContaining({ page: 'lab-news.test', host: NAMES.telemetry, chinaLinked: true, chinaLink: 'owned-by', kinds: ['url'], count: 1 })],
    });

    // The same requests, as the appliance exports them, through analyze.
    const { flows } = await api<{ flows: { id: string }[] }>('/api/flows?limit=500');
    const entries = [];
    for (const { id } of flows) entries.push(...(await api<{ log: { entries: { startedDateTime: string }[] } }>(`/api/flows/${encodeURIComponent(id)}/har`)).log.entries);
    entries.sort((a, b) => Date.parse(a.startedDateTime) - Date.parse(b.startedDateTime));
    const har = join(lab!.paths.dir, 'exported.har');
    writeFileSync(har, JSON.stringify({ log: { version: '1.2', creator: { name: 'leakwatch lab', version: '1' }, entries } }));
    const report = await analyzeFiles([har], { intel: await loadIntel({ overlayFiles: [lab!.paths.intel] }) });
    expect(report.alerts.map(verdict).sort()).toEqual(expected);
    expect(report.summary.webTrackers.map((t) => [t.page, t.host, t.chinaLinked])).toEqual([['lab-news.test', NAMES.telemetry, true]]);
  }, 90_000);
});
