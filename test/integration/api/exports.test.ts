import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { strFromU8, unzipSync } from 'fflate';
import { process as trackHar } from 'trackhar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeFiles } from '../../../appliance/src/analyze/analyze.js';
import { Detector } from '../../../appliance/src/detect/index.js';
import type { Har } from '../../../appliance/src/export/har-format.js';
import type { PcapSliceProvider, PcapSliceRequest } from '../../../appliance/src/export/pcap-slice.js';
import type { Alert } from '../../../appliance/src/model/index.js';
import { ALIBABA_IP, testIntel } from '../../support/intel.js';
import { at, navigation, telemetry } from '../../support/flows.js';
import { harSchemaErrors } from '../../support/har-schema.js';
import { testApi } from './app.js';
import type { TestApi } from './app.js';

const PAGE = 'https://www.theguardian.com/technology/2020/apr/30/xiaomi-browser-data-collection';
let t: TestApi;
let confirmed: Alert;
let binaryLeak: Alert;
const asked: PcapSliceRequest[] = [];
const pcap: PcapSliceProvider = {
  slice: async (request) => {
    asked.push(request);
    return { status: 'not captured', reason: 'the capture ring buffer no longer holds these packets' };
  },
};

beforeAll(async () => {
  t = await testApi({ pcap });
  // The real detector over a page load and an SDK upload of its URL to an Alibaba address.
  const detector = new Detector(testIntel());
  const page = navigation(PAGE, { time: at(1) });
  const upload = telemetry('https://sa.api.intl.miui.com/sa?project=global_browser_mini', JSON.stringify({ event: 'page_view', properties: { url: PAGE } }), { time: at(20), ip: ALIBABA_IP });
  // The same URL again, in a gzip-encoded body: binary, so the HAR carries it byte for byte.
  const gzipped = telemetry('https://log.example.cn/up', gzipSync(JSON.stringify({ u: PAGE })), { time: at(30), ip: ALIBABA_IP, headers: { 'Content-Encoding': 'gzip' } });
  for (const f of [page, upload, gzipped]) t.store.record(f, detector.observe(f), undefined);
  confirmed = t.store.list().find((a) => a.destination.host === 'sa.api.intl.miui.com')!;
  binaryLeak = t.store.list().find((a) => a.destination.host === 'log.example.cn')!;
});
afterAll(async () => t?.app.close());

const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: t.cookie } });

describe('HAR export', () => {
  it('exports an alert as the page load and the request that leaked it, as valid HAR 1.2', async () => {
    expect(confirmed).toMatchObject({ confidence: 'confirmed', data: { value: PAGE }, destination: { chinaLinked: true } });
    const r = await get(`/api/alerts/${confirmed.id}/har`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.headers['content-disposition']).toBe(`attachment; filename="leakwatch-alert-${confirmed.id}.har"`);
    const har = r.json() as Har;
    expect(harSchemaErrors(har)).toEqual([]);
    expect(har.log.entries.map((e) => [e._leakwatch.role, e.request.method, e.request.url])).toEqual([['navigation', 'GET', PAGE], ['leak', 'POST', confirmed.flow.url]]);
    expect(har.log._tweasel).toMatchObject({ metaVersion: '1.0', device: { platform: 'android', osVersion: '10' }, versions: { leakwatch: expect.any(String) } });
    expect(har.log._leakwatch).toMatchObject({ applianceId: 'leakwatch', device: 'phone', alertId: confirmed.id });
  });

  it.each([['a JSON body', () => confirmed], ['a gzip body', () => binaryLeak]])('makes a HAR that `leakwatch analyze` reads back to the same leak (%s)', async (_name, which) => {
    const leak = which();
    expect(leak).toMatchObject({ confidence: 'confirmed', data: { value: PAGE } });
    const file = join(t.dir, `${leak.id}.har`);
    writeFileSync(file, (await get(`/api/alerts/${leak.id}/har`)).body);
    const { alerts } = await analyzeFiles([file], { intel: testIntel() });
    expect(alerts.map((a) => [a.confidence, a.data.value, a.destination.host, a.path])).toEqual([['confirmed', PAGE, leak.destination.host, leak.path]]);
  });

  it('makes a HAR that tweasel\'s TrackHAR (npm trackhar) reads unchanged and finds the leaked URL in', async () => {
    const har = (await get(`/api/alerts/${confirmed.id}/har`)).json() as Parameters<typeof trackHar>[0];
    const results = await trackHar(har, { indicatorValues: { viewedPage: PAGE } });
    expect(results[0]).toBeUndefined();
    expect(results[1]).toEqual([expect.objectContaining({ adapter: 'indicators', property: 'viewedPage', context: 'body', value: PAGE })]);
  });

  it('exports one flow by id', async () => {
    const r = await get(`/api/flows/${encodeURIComponent(confirmed.flow.id)}/har`);
    expect(r.headers['content-disposition']).toMatch(/^attachment; filename="leakwatch-flow-[A-Za-z0-9._-]+\.har"$/);
    const har = r.json() as Har;
    expect(harSchemaErrors(har)).toEqual([]);
    expect(har.log.entries.map((e) => e._leakwatch)).toEqual([{ flowId: confirmed.flow.id, role: 'flow', device: 'phone', source: 'har' }]);
  });

  it('answers 404 with typed errors for unknown ids and for an alert whose requests retention deleted', async () => {
    expect((await get('/api/alerts/nope/har')).json()).toEqual({ error: 'LW_ERR_ALERT_NOT_FOUND', message: 'no alert nope' });
    expect((await get('/api/flows/nope/har')).json()).toMatchObject({ error: 'LW_ERR_FLOW_NOT_FOUND' });
    const orphan: Alert = { ...confirmed, id: 'orphan', confidence: 'suspected', flow: { ...confirmed.flow, id: 'deleted-flow' } };
    t.db.prepare("INSERT INTO alerts (id, time, device, severity, confidence, kind, value, china_linked, host, flow_id, json) VALUES ('orphan', 0, 'phone', 'high', 'suspected', 'url', 'x', 1, 'h', 'deleted-flow', ?)").run(JSON.stringify(orphan));
    const r = await get('/api/alerts/orphan/har');
    expect(r.statusCode).toBe(404);
    expect(r.json()).toMatchObject({ error: 'LW_ERR_ALERT_FLOWS_GONE', message: expect.stringContaining('GET /api/alerts/orphan/bundle still packs it') });
  });
});

describe('evidence bundle', () => {
  it('downloads over a real socket as a zip whose files match the hashes in its manifest and SHA256SUMS', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const { headers, body } = await new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      httpGet({ host: '127.0.0.1', port, path: `/api/alerts/${confirmed.id}/bundle`, headers: { cookie: t.cookie } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      }).on('error', reject);
    });
    expect(headers['content-type']).toBe('application/zip');
    expect(headers['content-disposition']).toBe(`attachment; filename="leakwatch-alert-${confirmed.id}.zip"`);
    const files = unzipSync(body);
    expect(Object.keys(files).sort()).toEqual(['README.txt', 'SHA256SUMS', 'alert.json', 'flows.har', 'manifest.json']);
    const sha256 = (name: string) => createHash('sha256').update(files[name]!).digest('hex');
    const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as { files: { name: string; sha256: string }[]; appliance: object; pcap: object; flows: object[] };
    for (const f of manifest.files) expect(sha256(f.name), f.name).toBe(f.sha256);
    for (const line of strFromU8(files['SHA256SUMS']!).trim().split('\n')) {
      const [hash, name] = line.split('  ');
      expect(sha256(name!), name).toBe(hash);
    }
    expect(manifest.appliance).toEqual({ id: 'leakwatch', leakwatchVersion: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(JSON.parse(strFromU8(files['alert.json']!))).toEqual(confirmed);
    expect((JSON.parse(strFromU8(files['flows.har']!)) as Har).log.entries).toHaveLength(2);
    expect(manifest.flows.map((f) => (f as { role: string }).role)).toEqual(['leak', 'navigation']);
    // The provider was asked for the device's packets over the span of the alert's requests.
    expect(asked.at(-1)).toEqual({ device: 'phone', from: at(1), to: at(20), ips: [ALIBABA_IP] });
    expect(manifest.pcap).toEqual({ status: 'not captured', reason: 'the capture ring buffer no longer holds these packets' });
  });

  it('still packs an alert whose requests are gone, listing them as missing; 404 for an unknown alert', async () => {
    const files = unzipSync((await get('/api/alerts/orphan/bundle')).rawPayload);
    expect(files['flows.har']).toBeUndefined();
    const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as { flows: { id: string; missing: string }[] };
    expect(manifest.flows).toEqual([{ role: 'leak', url: confirmed.flow.url, id: 'deleted-flow', missing: expect.stringMatching(/^no longer stored: retention/) }]);
    expect((await get('/api/alerts/nope/bundle')).statusCode).toBe(404);
  });
});
