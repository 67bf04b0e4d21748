import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { InspectionError, InspectionWorker } from '../../../appliance/src/inspect/index.js';
import type { InspectionWorkerOptions } from '../../../appliance/src/inspect/index.js';
import type { Alert } from '../../../appliance/src/model/index.js';
import { CanaryStore, openDatabase } from '../../../appliance/src/store/index.js';
import type { OutboxMessage } from '../../../appliance/src/store/index.js';
import { at, navigation, telemetry } from '../../support/flows.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-inspect-'));
const overlay = join(dir, 'intel.json');
// A private address stands for Alibaba Cloud, as in the network lab.
writeFileSync(overlay, JSON.stringify({ ranges: [{ cidr: '10.9.0.0/16', asn: 45102, org: 'Alibaba Cloud', country: 'SG' }] }));
const page = 'https://news.example/world/article-1';

function sensorsAnalytics(url: string, seconds: number) {
  const data = gzipSync(JSON.stringify([{ event: 'page_load_event_finish', properties: { url } }])).toString('base64');
  return telemetry('https://sa.example.cn/sa?project=browser', `crc=1&gzip=1&data_list=${encodeURIComponent(data)}`, { ip: '10.9.0.5', time: at(seconds) });
}

let running: InspectionWorker | undefined;
afterEach(async () => running?.close());

function worker(name: string, options: Partial<InspectionWorkerOptions> = {}) {
  const databasePath = join(dir, name, 'leakwatch.db');
  mkdirSync(join(dir, name));
  openDatabase(databasePath).close();
  running = new InspectionWorker({ databasePath, overlayFiles: [overlay], alertTopic: 'leakwatch/test/alert', maxBacklogBytes: 1 << 20, ...options });
  return { inspection: running, databasePath };
}

describe('the inspection thread', () => {
  it('detects a leak off the calling thread and reports it only once it is committed, with its MQTT message queued', async () => {
    const { inspection, databasePath } = worker('leak');
    await inspection.start();
    const committed = new Promise<{ alerts: Alert[]; stored: unknown[]; outbox: unknown[] }>((resolve) => inspection.once('alerts', (alerts) => {
      const db = openDatabase(databasePath);
      resolve({ alerts, stored: db.prepare('SELECT id FROM alerts').all(), outbox: db.prepare('SELECT seq, alert_id AS alertId, topic, payload FROM outbox').all() });
      db.close();
    }));
    const queued = new Promise<OutboxMessage[]>((resolve) => inspection.once('queued', resolve));
    inspection.inspect(navigation(page, { time: at(0) }));
    inspection.inspect(sensorsAnalytics(page, 5));
    const { alerts, stored, outbox } = await committed;
    expect(alerts.map((a) => [a.data.value, a.confidence, a.destination.chinaLinked])).toEqual([[page, 'confirmed', true]]);
    expect(alerts[0]!.path).toContain('base64 → gzip');
    expect(stored).toEqual([{ id: alerts[0]!.id }]);
    // The committed MQTT message comes with the alerts, exactly as the outbox holds it: the publisher need not read it back.
    expect(outbox).toEqual([{ seq: expect.any(Number), alertId: alerts[0]!.id, topic: 'leakwatch/test/alert', payload: JSON.stringify(alerts[0]) }]);
    expect(await queued).toEqual(outbox);
    // Where its time went: both flows through the detector, at least one commit, each timed.
    const costs = await inspection.stageCosts();
    expect(costs.flows).toBe(2);
    expect(costs.batches).toBeGreaterThanOrEqual(1);
    expect(costs.detectMs).toBeGreaterThan(0);
    expect(costs.storeMs).toBeGreaterThan(0);
  });

  it('plants canary tests: those stored before it started, and those started while it runs', async () => {
    const { inspection, databasePath } = worker('canary');
    const db = openDatabase(databasePath);
    const stored = new CanaryStore(db).create(null, at(0)).token;
    db.close();
    await inspection.start();
    const seen: Alert[] = [];
    inspection.on('alerts', (alerts) => seen.push(...alerts));
    inspection.canary('add', 'lwc-started2');
    await new Promise((r) => setTimeout(r, 50));
    inspection.inspect(telemetry('https://sa.example.cn/sa', `q=leakwatch ${stored}`, { ip: '10.9.0.5', time: at(1) }));
    inspection.inspect(telemetry('https://sa.example.cn/sa', 'q=leakwatch lwc-started2', { ip: '10.9.0.5', time: at(2) }));
    await inspection.close();
    expect(seen.map((a) => [a.confidence, a.data.kind, a.data.value])).toEqual([['proven', 'canary', stored], ['proven', 'canary', 'lwc-started2']]);
  });

  it('hands on an upgrade: a suspected alert confirmed by a page load seen later is stored, queued and reported again under its id', async () => {
    const { inspection, databasePath } = worker('upgrade');
    await inspection.start();
    const seen: Alert[] = [];
    inspection.on('alerts', (alerts) => seen.push(...alerts));
    inspection.inspect(telemetry('https://sa.example.cn/t', JSON.stringify({ page_url: page }), { ip: '10.9.0.5', time: at(1) }));
    inspection.inspect(navigation(page, { time: at(3) }));
    await inspection.close();
    expect(seen.map((a) => [a.confidence, a.upgradedFrom ?? null])).toEqual([['suspected', null], ['confirmed', 'suspected']]);
    expect(seen[1]!.id).toBe(seen[0]!.id);
    const db = openDatabase(databasePath);
    expect(db.prepare('SELECT confidence, acknowledged FROM alerts').all()).toEqual([{ confidence: 'confirmed', acknowledged: 0 }]);
    expect((db.prepare('SELECT payload FROM outbox ORDER BY seq').all() as { payload: string }[]).map((m) => JSON.parse(m.payload).confidence)).toEqual(['suspected', 'confirmed']);
    db.close();
  });

  it('answers with the web trackers it saw, and with the hosted-in policy it was given', async () => {
    const { inspection } = worker('trackers', { policy: { hostedInMainlandChina: true, hostedInHongKongMacau: false } });
    await inspection.start();
    inspection.inspect(navigation(page, { time: at(0) }));
    inspection.inspect(telemetry(`https://hm.example.cn/hm.gif?u=${encodeURIComponent(page)}`, '', { method: 'GET', ip: '10.9.0.5', time: at(1), headers: { 'User-Agent': 'Mozilla/5.0 (Linux; Android 10) Chrome/120 Mobile Safari/537.36', Referer: page, 'Sec-Fetch-Dest': 'image' } }));
    await new Promise((r) => setTimeout(r, 100));
    expect(await inspection.webTrackers()).toEqual([{ page: 'news.example', host: 'hm.example.cn', chinaLinked: true, chinaLink: 'owned-by', kinds: ['url'], count: 1, lastSeen: at(1) }]);
    // Google's block registered in HK is only "hosted in" HK, which this policy does not count; an
    // address registered in mainland China still is; Tencent's HK block is owned by a Chinese company.
    const [google, mainland, tencent] = await inspection.attribute(['35.220.128.1', '202.45.0.1', '119.28.0.1']);
    expect(google).toMatchObject({ country: 'HK', org: 'Google LLC', chinaLinked: false, reasons: [] });
    expect(mainland).toMatchObject({ country: 'CN', chinaLinked: true, chinaLink: 'hosted-in' });
    expect(tencent).toMatchObject({ country: 'HK', chinaLinked: true, chinaLink: 'owned-by' });
  });

  it('commits every flow handed over before close() resolves', async () => {
    const { inspection, databasePath } = worker('close');
    await inspection.start();
    for (let i = 0; i < 1200; i++) inspection.inspect(navigation(`https://site.example/page-${i}`, { time: at(i) }));
    await inspection.close();
    const db = openDatabase(databasePath);
    expect(db.prepare('SELECT COUNT(*) AS n FROM flows').get()).toEqual({ n: 1200 });
    db.close();
  });

  it('is the one writer of alerts and the outbox: acknowledgements, deliveries, queued verdicts and retention go through it', async () => {
    const { inspection, databasePath } = worker('writes');
    await inspection.start();
    const committed = new Promise<Alert[]>((resolve) => inspection.once('alerts', resolve));
    inspection.inspect(navigation(page, { time: at(0) }));
    inspection.inspect(sensorsAnalytics(page, 5));
    const [alert] = await committed;
    const read = openDatabase(databasePath);
    const acknowledged = () => read.prepare('SELECT acknowledged FROM alerts WHERE id = ?').pluck().get(alert!.id);
    const outbox = () => read.prepare('SELECT seq, alert_id AS id FROM outbox ORDER BY seq').all() as { seq: number; id: string }[];

    expect(await inspection.write({ kind: 'acknowledge', alert: 'no-such-alert' })).toBe(0);
    expect(await inspection.write({ kind: 'acknowledge', alert: alert!.id })).toBe(1);
    expect(acknowledged()).toBe(1);
    read.prepare('UPDATE alerts SET acknowledged = 0').run();
    expect(await inspection.write({ kind: 'acknowledge-all', query: { device: 'another-phone' } })).toBe(0);
    expect(await inspection.write({ kind: 'acknowledge-all', query: {} })).toBe(1);

    const announced: OutboxMessage[] = [];
    inspection.on('queued', (messages) => announced.push(...messages));
    expect(await inspection.write({ kind: 'enqueue', key: 'canary:cs-1', topic: 'leakwatch/test/canary', payload: '{}', now: at(6) })).toBe(1);
    expect(outbox().map((m) => m.id)).toEqual([alert!.id, 'canary:cs-1']);
    // Announced before the write was answered, with the seq the outbox gave it.
    expect(announced).toEqual([{ seq: outbox()[1]!.seq, alertId: 'canary:cs-1', topic: 'leakwatch/test/canary', payload: '{}' }]);
    expect(await inspection.write({ kind: 'delivered', seqs: outbox().map((m) => m.seq) })).toBe(2);
    expect(outbox()).toEqual([]);

    // The flows were sent in 2026-10; a 1-day retention a year later removes them and the alert.
    const removed = await inspection.write({ kind: 'retention', policy: { maxAgeDays: 1, maxBytes: 1 << 30 }, now: at(365 * 24 * 3600) });
    expect(removed).toMatchObject({ flowsDeleted: 2, alertsDeleted: 1 });
    read.close();

    await inspection.close();
    await expect(inspection.write({ kind: 'acknowledge', alert: alert!.id })).rejects.toThrow(/inspection thread is not running/);
  });

  it('commits what was handed over before flush() resolves, and keeps running for writes', async () => {
    const { inspection, databasePath } = worker('flush');
    await inspection.start();
    for (let i = 0; i < 300; i++) inspection.inspect(navigation(`https://site.example/page-${i}`, { time: at(i) }));
    await inspection.flush();
    const read = openDatabase(databasePath);
    expect(read.prepare('SELECT COUNT(*) AS n FROM flows').get()).toEqual({ n: 300 });
    read.close();
    expect(await inspection.write({ kind: 'delivered', seqs: [12345] })).toBe(0);
  });

  it('forwards without inspecting while the backlog is over its cap, and says so when it catches up', async () => {
    const { inspection, databasePath } = worker('backlog', { maxBacklogBytes: 1000 });
    await inspection.start();
    const problems: string[] = [];
    inspection.on('problem', (p) => problems.push(p));
    const caughtUp = new Promise<void>((resolve) => inspection.on('problem', (p) => p.includes('caught up') && resolve()));
    const body = 'x'.repeat(600);
    inspection.inspect(telemetry('https://a.example/one', body));
    inspection.inspect(telemetry('https://a.example/two', body));
    inspection.inspect(telemetry('https://a.example/three', body));
    await caughtUp;
    await inspection.close();
    expect(problems).toEqual([
      'inspection is behind (1 flow, 600 bytes waiting): traffic is forwarded but not inspected until it catches up',
      'inspection caught up; 2 flows were forwarded without inspection meanwhile',
    ]);
    const db = openDatabase(databasePath);
    expect(db.prepare('SELECT url FROM flows').all()).toEqual([{ url: 'https://a.example/one' }]);
    db.close();
  });

  it.skipIf(process.platform !== 'linux')('runs at a lower priority than the rest of the process (nice 10)', async () => {
    const niceOfThreads = () => readdirSync('/proc/self/task').map((tid) => Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[16]));
    expect(niceOfThreads()).not.toContain(10);
    const { inspection } = worker('nice');
    await inspection.start();
    // The inspection thread alone: not the thread pool that the proxy's DNS lookups and file work use.
    expect(niceOfThreads().filter((nice) => nice === 10)).toHaveLength(1);
    expect(Number(readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /s, '').split(' ')[16])).toBe(0);
  });

  it('caps the number of flows waiting, however small they are', async () => {
    const { inspection } = worker('count-cap', { maxBacklogFlows: 2 });
    await inspection.start();
    const problems: string[] = [];
    inspection.on('problem', (p) => problems.push(p));
    for (let i = 0; i < 5; i++) inspection.inspect(telemetry(`https://a.example/${i}`, ''));
    await inspection.close();
    expect(problems[0]).toBe('inspection is behind (2 flows, 0 bytes waiting): traffic is forwarded but not inspected until it catches up');
  });

  it('moves a body that owns its memory to the thread instead of copying it, and leaves a body sliced from shared memory whole', async () => {
    const { inspection } = worker('move');
    await inspection.start();
    const seen: Alert[] = [];
    inspection.on('alerts', (alerts) => seen.push(...alerts));
    // 20 KB of JSON with the page in it, in memory of its own (Buffer.alloc never uses the pool,
    // whose size differs: 8 KiB on Node 20, 64 KiB on Node 24).
    const text = JSON.stringify({ page_url: page, pad: 'x'.repeat(20_000) });
    const own = Buffer.alloc(Buffer.byteLength(text));
    own.write(text);
    const owned = telemetry('https://sa.example.cn/t', own, { ip: '10.9.0.5', time: at(3) });
    // A short body in Node's shared pool: moving it would take its neighbours along.
    const pooled = Buffer.from(JSON.stringify({ page_url: page }));
    expect(pooled.buffer.byteLength).toBeGreaterThan(pooled.byteLength);
    const sliced = telemetry('https://sa.example.cn/u', pooled, { ip: '10.9.0.5', time: at(4) });
    inspection.inspect(navigation(page, { time: at(0) }));
    inspection.inspect(owned);
    inspection.inspect(sliced);
    await inspection.close();
    expect(own.byteLength).toBe(0);
    expect(Buffer.from(sliced.body).toString()).toBe(JSON.stringify({ page_url: page }));
    // The moved body arrived whole: the thread found the page in each of the two.
    expect(seen.map((a) => [a.flow.id, a.data.value]).sort()).toEqual([[owned.id, page], [sliced.id, page]].sort());
  });

  it('says it is stalled when flows wait and the thread takes none for a minute', () => {
    const inspection = new InspectionWorker({ databasePath: join(dir, 'never-started.db'), overlayFiles: [], alertTopic: undefined, maxBacklogBytes: 1 << 20 });
    expect(inspection.stalled()).toBeUndefined();
    const handedOver = Date.now();
    inspection.inspect(telemetry('https://a.example/one', 'x'));
    inspection.inspect(telemetry('https://a.example/two', 'y'));
    expect(inspection.stalled(handedOver + 59_000)).toBeUndefined();
    expect(inspection.stalled(handedOver + 61_000)).toMatch(/^the inspection thread has taken no flow for 6\d s while 2 wait$/);
  });

  it('fails to start with a message that names the cause when the database cannot be opened', async () => {
    const inspection = new InspectionWorker({ databasePath: dir, overlayFiles: [], alertTopic: undefined, maxBacklogBytes: 1 << 20 });
    const failure = inspection.start();
    await expect(failure).rejects.toThrow(InspectionError);
    await expect(failure).rejects.toThrow(/inspection thread could not start: .*cannot open the database/);
  });

  it('fails to start when an intel overlay is missing', async () => {
    const { inspection } = worker('no-overlay', { overlayFiles: [join(dir, 'missing.json')] });
    running = undefined;
    await expect(inspection.start()).rejects.toThrow(/inspection thread could not start: .*missing\.json/);
  });
});
