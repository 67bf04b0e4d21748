import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AlertStore, FlowStore, openDatabase, schemaVersion } from '../../../appliance/src/store/index.js';
import { MIGRATIONS } from '../../../appliance/src/store/migrations.js';
import { at, flow, navigation, telemetry } from '../../support/flows.js';
import { alert } from './samples.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-flows-'));
let n = 0;
const dbPath = () => join(dir, `db${n++}`, 'leakwatch.db');

describe('stored flows (schema version 2)', () => {
  it('keeps what a HAR needs: headers in order, HTTP version, response status, type and location, the cut flag', () => {
    const db = openDatabase(dbPath());
    const f = telemetry('https://sa.api.intl.miui.com/sa?project=x', '{"url":"https://news.example.org/"}', { time: at(5), ip: '8.219.10.20', response: { status: 302, mimeType: 'text/plain', location: 'https://x.example/' } });
    f.httpVersion = 'HTTP/2.0';
    f.bodyTruncated = true;
    new AlertStore(db).record(f, [], undefined);
    const got = new FlowStore(db).get(f.id)!;
    expect(got).toMatchObject({
      id: f.id, device: 'phone', time: at(5), method: 'POST', host: 'sa.api.intl.miui.com', ip: '8.219.10.20', port: 443, httpVersion: 'HTTP/2.0',
      headers: f.headers, response: { status: 302, mimeType: 'text/plain', location: 'https://x.example/' }, bodyBytes: f.body.length, sourceCut: true,
    });
    expect(Buffer.from(got.excerpt).toString()).toBe('{"url":"https://news.example.org/"}');
    expect(new FlowStore(db).get('nope')).toBeUndefined();
  });

  it('leaves the devices table to its one writer (the DeviceStore on the proxy\'s thread)', () => {
    const db = openDatabase(dbPath());
    new AlertStore(db).recordMany([{ flow: flow('https://a.example/2', { time: at(5) }), alerts: [] }, { flow: flow('https://a.example/1', { time: at(2) }), alerts: [] }], undefined);
    expect(db.prepare('SELECT COUNT(*) AS n FROM flows').get()).toEqual({ n: 2 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM devices').get()).toEqual({ n: 0 });
  });

  it('keeps how the TLS of a flow was seen and the client JA4; plain HTTP has none', () => {
    const db = openDatabase(dbPath());
    const decrypted = flow('https://a.example/x', { time: at(1) });
    decrypted.tls = { decryption: 'intercepted', ja4: 't13d1516h2_8daaf6152771_d8a2da3f94cd' };
    const plain = flow('http://a.example/y', { time: at(2) });
    new AlertStore(db).recordMany([{ flow: decrypted, alerts: [] }, { flow: plain, alerts: [] }], undefined);
    expect(new FlowStore(db).get(decrypted.id)!.tls).toEqual({ decryption: 'intercepted', ja4: 't13d1516h2_8daaf6152771_d8a2da3f94cd' });
    expect(new FlowStore(db).get(plain.id)!.tls).toBeUndefined();
  });

  it('upgrades a version 1 database in place, and reads its old rows as "not recorded"', () => {
    const path = dbPath();
    const v1 = openDatabase(path, MIGRATIONS.slice(0, 1));
    v1.prepare(`INSERT INTO flows (id, device, time, method, url, host, ip, port, source, status, body_bytes, body_excerpt)
      VALUES ('old', 'phone', 1, 'GET', 'https://a.example/', 'a.example', NULL, 443, 'proxy', NULL, 0, X'')`).run();
    v1.close();
    const db = openDatabase(path);
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    const old = new FlowStore(db).get('old')!;
    expect(old).toEqual({ id: 'old', device: 'phone', time: 1, method: 'GET', url: 'https://a.example/', host: 'a.example', port: 443, source: 'proxy', bodyBytes: 0, excerpt: Buffer.alloc(0) });
  });

  it('searches newest first by device, host, time, method, URL text and alerts, a page at a time', () => {
    const db = openDatabase(dbPath());
    const store = new AlertStore(db);
    const flows = new FlowStore(db);
    const nav = navigation('https://news.example.org/a_b?x=1', { time: at(1) });
    const leak = telemetry('https://sa.api.intl.miui.com/sa', 'x', { time: at(2) });
    const other = flow('https://cdn.example.net/app.js', { time: at(3), device: 'laptop' });
    store.record(nav, [], undefined);
    store.record(leak, [{ ...alert('al1', 1), device: 'phone', flow: { ...alert('al1', 1).flow, id: leak.id } }], undefined);
    store.record(other, [], undefined);
    const ids = (q: Partial<Parameters<FlowStore['search']>[0]>) => flows.search({ limit: 50, ...q }).flows.map((f) => f.id);

    expect(ids({})).toEqual([other.id, leak.id, nav.id]);
    expect(ids({ device: 'phone' })).toEqual([leak.id, nav.id]);
    expect(ids({ host: 'sa.api.intl.miui.com' })).toEqual([leak.id]);
    expect(ids({ host: 'miui.com' })).toEqual([]);
    expect(ids({ hostContains: 'MIUI' })).toEqual([leak.id]);
    expect(ids({ since: at(2), until: at(2) })).toEqual([leak.id]);
    expect(ids({ method: 'post' })).toEqual([leak.id]);
    // `_` is a character here, not LIKE's any-character.
    expect(ids({ urlContains: 'a_b' })).toEqual([nav.id]);
    expect(ids({ urlContains: 'a%b' })).toEqual([]);
    expect(ids({ hasAlert: true })).toEqual([leak.id]);
    expect(ids({ hasAlert: false })).toEqual([other.id, nav.id]);
    expect(flows.search({ limit: 50, hasAlert: true }).flows[0]).toMatchObject({ alertCount: 1, bodyBytes: 1 });

    const first = flows.search({ limit: 2 });
    expect(first.flows.map((f) => f.id)).toEqual([other.id, leak.id]);
    const second = flows.search({ limit: 2, after: first.next! });
    expect(second).toEqual({ flows: [expect.objectContaining({ id: nav.id })] });
  });

  it('finds the page load behind a confirmed alert: the one at browsedAt, else the nearest earlier one', () => {
    const db = openDatabase(dbPath());
    const store = new AlertStore(db);
    const url = 'https://news.example.org/story';
    const early = navigation(url, { time: at(1) });
    const exact = navigation(url, { time: at(5) });
    const later = navigation(url, { time: at(9) });
    for (const f of [early, exact, later]) store.record(f, [], undefined);
    const flows = new FlowStore(db);
    expect(flows.navigation('phone', url, at(5), at(20))?.id).toBe(exact.id);
    expect(flows.navigation('phone', url, at(4), at(6))?.id).toBe(exact.id);
    expect(flows.navigation('phone', url, at(5), at(3))?.id).toBe(early.id);
    expect(flows.navigation('laptop', url, at(5), at(20))).toBeUndefined();
  });
});
