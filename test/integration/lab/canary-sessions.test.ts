/**
 * The incognito experiment in the network lab, through the real redirect: canary sessions run by
 * the phone against `leakwatch start`. A Mint-Browser-like client reports the canary page in
 * Sensors Analytics telemetry in both modes; another reports only a SHA-256 of the canary host;
 * a clean one reports nothing. The verdicts say so, with the decode chain and the blind spots.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventLog } from '../../lab/event-log.js';
import { NAMES, createLab, labUnavailable } from '../../lab/lab.js';
import type { Lab } from '../../lab/lab.js';
import { sensorsBody } from '../../lab/leaks.js';
import { startLeakwatch } from '../../lab/services.js';
import { ADDR, IFACES } from '../../lab/topology.js';
import { requirePrerequisites } from '../../support/prerequisites.js';

const unavailable = requirePrerequisites('the canary session lab tests', labUnavailable());

interface Round { n: number; mode: string; pageUrl: string; host: string; searchPhrase: string; visited: number | null }
interface Verdict {
  summary: string;
  watching: boolean;
  rounds: { round: number; mode: string; leaked: boolean; visited: number | null; receivers: { host: string; company: string; chinaLinked: boolean; reasons: string[] }[]; found: { target: string; forms: string[]; chains: string[]; afterVisitMs: number | null }[]; blind: { passedThrough: unknown[]; quicPackets: number | null; dnsOverTlsAttempts: number | null } }[];
}

let lab: Lab | undefined;
let applianceCa = '';
let phoneMac = '';
let jar = '';
const log = new EventLog<string>();
const API = `http://${ADDR.applianceHotspot}`;

async function phone(args: string[]): Promise<string> {
  const r = await lab!.exec('phone', 'curl', ['-sS', '--max-time', '15', '-b', jar, '-c', jar, ...args]);
  if (r.code !== 0) throw new Error(`curl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
const api = async <T>(method: string, path: string, body?: object): Promise<T> =>
  JSON.parse(await phone(['-X', method, ...(body ? ['-H', 'content-type: application/json', '--data', JSON.stringify(body)] : []), `${API}${path}`])) as T;

/** The browser under test opens the round's canary page (served by the appliance itself, not through the proxy). */
async function openCanaryPage(round: Round): Promise<void> {
  const page = await phone(['-H', 'sec-fetch-mode: navigate', '-H', 'sec-fetch-dest: document', '-A', 'Mozilla/5.0 (Linux; Android 11) Chrome/120 Mobile Safari/537.36', round.pageUrl]);
  expect(page).toContain('leakwatch canary page');
}

/** The browser's own telemetry, as the Mint browser sends it, through the redirect to the "Alibaba Cloud" host. */
async function report(body: string, path = '/sa?project=global_browser_mini'): Promise<void> {
  await phone(['--cacert', applianceCa, '-A', 'Dalvik/2.1.0 (Linux; U; Android 11; Redmi Note 8)', '--data', body, `https://${NAMES.telemetry}${path}`]);
  await lab!.internet.waitFor((e) => e.site === 'telemetry' && e.body === body);
}

async function session(app: string): Promise<string> {
  return (await api<{ id: string }>('POST', '/api/canary-sessions', { app, device: phoneMac })).id;
}

async function verdictWhen(id: string, ready: (v: Verdict) => boolean): Promise<Verdict> {
  for (let waited = 0; ; waited += 200) {
    const v = (await api<{ verdict: Verdict }>('GET', `/api/canary-sessions/${id}`)).verdict;
    if (ready(v) || waited > 15_000) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.runIf(!unavailable)('canary sessions in the lab (phone → redirect → leakwatch → internet)', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    lab = await createLab();
    applianceCa = await startLeakwatch(lab, (line) => log.push(line));
    jar = join(lab.paths.dir, 'phone-cookies');
    phoneMac = (await lab.exec('phone', 'cat', [`/sys/class/net/${IFACES.phone}/address`])).stdout.trim();
    await phone(['-H', 'content-type: application/json', '--data', '{"password":"lab"}', `${API}/api/login`]);
  }, 120_000);

  afterAll(() => lab?.destroy());

  it('proves a Mint-like browser reports the canary page in normal and incognito mode alike, china-linked, with the decode chain', async () => {
    const id = await session('Mint-like browser 3.4');
    const rounds: Round[] = [];
    for (const mode of ['normal', 'incognito']) {
      const round = await api<Round>('POST', `/api/canary-sessions/${id}/rounds`, { mode });
      expect(round.pageUrl).toMatch(/^http:\/\/[a-z2-9]{10}\.canary\.leakwatch\.internal\/[a-z2-9]{8}$/);
      expect(round.searchPhrase).toMatch(/^[a-z]+ [a-z]+ [a-z]+$/);
      await openCanaryPage(round);
      await report(sensorsBody(round.pageUrl));
      rounds.push(round);
    }
    expect(rounds[0]!.pageUrl).not.toBe(rounds[1]!.pageUrl);
    const v = await verdictWhen(id, (x) => x.rounds.every((r) => r.leaked));
    expect(v.summary).toBe('Incognito leaked the same as normal: to Alibaba Cloud, china-linked (still watching: this may change).');
    for (const [i, r] of v.rounds.entries()) {
      expect(r).toMatchObject({ round: i + 1, mode: ['normal', 'incognito'][i], leaked: true });
      expect(r.visited).toEqual(expect.any(Number));
      expect(r.receivers).toEqual([expect.objectContaining({ host: NAMES.telemetry, company: 'Alibaba Cloud', chinaLinked: true })]);
      expect(r.found).toEqual([expect.objectContaining({ target: 'url', forms: ['url'], chains: ['form:data_list → base64 → gzip → json:$[0].properties.url'], afterVisitMs: expect.any(Number) })]);
    }
    // The proven alert names the session, round and mode, on stdout as everywhere else.
    expect(log.items.filter((l) => l.includes('CRITICAL proven canary') && l.includes(rounds[1]!.pageUrl))).toHaveLength(1);
    const alerts = await api<{ data: { canary?: object }; confidence: string }[]>('GET', '/api/alerts?limit=10');
    expect(alerts.filter((a) => a.data.canary)).toContainEqual(expect.objectContaining({ confidence: 'proven', data: expect.objectContaining({ canary: { session: id, round: 2, mode: 'incognito', target: 'url' } }) }));

    // The report: Markdown, JSON, and a zip with both, the evidence as HAR and the packets.
    const markdown = await phone([`${API}/api/canary-sessions/${id}/report.md`]);
    expect(markdown).toContain('# Canary test: Mint-like browser 3.4');
    expect(markdown).toContain('**Incognito leaked the same as normal: to Alibaba Cloud, china-linked (still watching: this may change).**');
    expect(markdown).toContain('### Round 2: incognito');
    const zipFile = join(lab!.paths.dir, 'report.zip');
    await phone(['-o', zipFile, `${API}/api/canary-sessions/${id}/report.zip`]);
    const zip = unzipSync(readFileSync(zipFile));
    expect(Object.keys(zip).sort()).toEqual(['SHA256SUMS', 'evidence.har', 'manifest.json', 'packets.pcapng', 'report.json', 'report.md']);
    const har = JSON.parse(strFromU8(zip['evidence.har']!)) as { log: { entries: { request: { url: string } }[] } };
    const urls = har.log.entries.map((e) => e.request.url);
    for (const r of rounds) expect(urls).toContain(r.pageUrl);
    expect(urls.filter((u) => u.startsWith(`https://${NAMES.telemetry}/sa`))).toHaveLength(2);
    for (const line of strFromU8(zip['SHA256SUMS']!).trim().split('\n')) {
      const [sum, name] = line.split('  ');
      expect(createHash('sha256').update(zip[name!]!).digest('hex'), name).toBe(sum);
    }
  });

  it('proves a browser that reports only a SHA-256 of the canary host', async () => {
    const id = await session('Hashing browser');
    const round = await api<Round>('POST', `/api/canary-sessions/${id}/rounds`, { mode: 'private' });
    await openCanaryPage(round);
    await report(JSON.stringify({ event: 'visit', domain_hash: createHash('sha256').update(round.host).digest('hex') }), '/collect');
    const v = await verdictWhen(id, (x) => x.rounds[0]!.leaked);
    expect(v.rounds[0]!.found).toEqual([expect.objectContaining({ target: 'host', forms: ['sha256(host)'] })]);
    expect(v.summary).toBe('Every round (private) leaked: to Alibaba Cloud, china-linked (still watching: this may change).');
  });

  it('says a clean browser was not seen leaking — never "safe" — and what the appliance could not see', async () => {
    const id = await session('Clean browser');
    for (const mode of ['normal', 'incognito']) {
      const round = await api<Round>('POST', `/api/canary-sessions/${id}/rounds`, { mode });
      await openCanaryPage(round);
      // It browses, and its telemetry carries nothing of the canaries.
      await report(sensorsBody(`https://${NAMES.news}/weather`));
    }
    await api('POST', `/api/canary-sessions/${id}/close`);
    await new Promise((r) => setTimeout(r, 1000));
    const v = await verdictWhen(id, () => true);
    expect(v.summary).toBe('Nothing was seen leaving the phone within the watch window (10 minutes after each round) (still watching: this may change). Not seen is not safe: see what the appliance could not see.');
    expect(v.rounds.map((r) => r.leaked)).toEqual([false, false]);
    // With capture on, the blind spots are counted, not guessed.
    expect(v.rounds[0]!.blind).toEqual({ passedThrough: [], quicPackets: 0, dnsOverTlsAttempts: 0 });
  });
});
