import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildHar } from '../../../appliance/src/export/har.js';
import type { HarExportMeta } from '../../../appliance/src/export/har.js';
import type { StoredFlow } from '../../../appliance/src/store/flows.js';
import { harSchemaErrors } from '../../support/har-schema.js';

const T0 = Date.parse('2026-11-01T10:00:00Z');
const META: HarExportMeta = { applianceId: 'pi-lab', leakwatchVersion: '0.1.0', nodeVersion: 'v20.20.2', exportedAt: T0 + 60_000, device: 'aa:bb:cc:dd:ee:ff' };
const ANDROID_UA = 'Mozilla/5.0 (Linux; Android 10; Redmi Note 8) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36';

function stored(url: string, init: Partial<StoredFlow> & { body?: string | Uint8Array } = {}): StoredFlow {
  const { body = '', ...rest } = init;
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return {
    id: 'proxy:x:1', device: META.device, time: T0, method: 'GET', url, host: new URL(url).hostname, port: 443, source: 'proxy',
    httpVersion: 'HTTP/1.1', headers: [{ name: 'User-Agent', value: ANDROID_UA }], bodyBytes: bytes.length, excerpt: bytes, sourceCut: false,
    ...rest,
  };
}

describe('buildHar', () => {
  it('writes valid HAR 1.2 (the har-schema JSON schema) for a page load and the request that leaked it', () => {
    const nav = stored('https://news.example.org/story', { id: 'n', response: { status: 200, mimeType: 'text/html' } });
    const leak = stored('https://sa.api.intl.miui.com/sa?project=global&r=SG', {
      id: 'l', time: T0 + 5000, method: 'POST', ip: '8.219.10.20', body: '{"url":"https://news.example.org/story"}',
      headers: [{ name: 'Content-Type', value: 'application/json' }, { name: 'Cookie', value: 'sid=abc; theme=dark=1' }],
    });
    const har = buildHar([{ flow: leak, role: 'leak' }, { flow: nav, role: 'navigation' }], { ...META, alertId: 'a1' });
    expect(harSchemaErrors(har)).toEqual([]);
    expect(har.log.entries.map((e) => [e._leakwatch.role, e.startedDateTime])).toEqual([['navigation', '2026-11-01T10:00:00.000Z'], ['leak', '2026-11-01T10:00:05.000Z']]);
    const e = har.log.entries[1]!;
    expect(e.request).toMatchObject({
      method: 'POST', httpVersion: 'HTTP/1.1', bodySize: 40,
      queryString: [{ name: 'project', value: 'global' }, { name: 'r', value: 'SG' }],
      cookies: [{ name: 'sid', value: 'abc' }, { name: 'theme', value: 'dark=1' }],
      postData: { mimeType: 'application/json', text: '{"url":"https://news.example.org/story"}' },
    });
    expect(e.request.postData).not.toHaveProperty('comment');
    expect(e.serverIPAddress).toBe('8.219.10.20');
    expect(e.response).toMatchObject({ status: 0, comment: 'no response was seen (status 0)' });
    expect(har.log.entries[0]!.response).toMatchObject({ status: 200, content: { mimeType: 'text/html' } });
    expect(har.log._leakwatch).toEqual({ applianceId: 'pi-lab', device: META.device, exportedAt: '2026-11-01T10:01:00.000Z', alertId: 'a1' });
    expect(har.log.comment).toMatch(/^Exported by leakwatch 0\.1\.0 on appliance pi-lab: 2 request\(s\) of device aa:bb:cc:dd:ee:ff, evidence for alert a1\. leakwatch does not record timings/);
  });

  it('writes the _tweasel metadata ReportHAR reads, leaving out what a network appliance cannot know', () => {
    const har = buildHar([{ flow: stored('https://a.example/', { time: T0 }), role: 'flow' }, { flow: stored('https://b.example/', { time: T0 + 9000 }), role: 'flow' }], META);
    expect(har.log.creator).toEqual({ name: 'leakwatch', version: '0.1.0' });
    expect(har.log._tweasel).toEqual({
      startDate: '2026-11-01T10:00:00.000Z', endDate: '2026-11-01T10:00:09.000Z', options: { mode: 'all-apps' },
      device: { runTarget: 'device', platform: 'android', osVersion: '10' }, versions: { leakwatch: '0.1.0', node: 'v20.20.2' }, metaVersion: '1.0',
    });
    expect(har.log._tweasel).not.toHaveProperty('apps');
  });

  it('keeps a binary body byte for byte, one character per byte, and says so', () => {
    const gz = gzipSync('{"url":"https://news.example.org/"}');
    const har = buildHar([{ flow: stored('https://sa.example/sa', { method: 'POST', body: gz }), role: 'leak' }], META);
    const post = har.log.entries[0]!.request.postData!;
    expect(Buffer.from(post.text, 'latin1')).toEqual(gz);
    expect(post.comment).toBe('binary body: one character per byte (Latin-1)');
  });

  it('says when a body was cut, by the excerpt or by the proxy, and gives bodySize only when the whole body was seen', () => {
    const body = 'x'.repeat(100);
    const byExcerpt = stored('https://a.example/', { method: 'POST', body, bodyBytes: 200_000 });
    const byProxy = stored('https://a.example/', { method: 'POST', body, sourceCut: true });
    const [e1, e2] = buildHar([{ flow: byExcerpt, role: 'flow' }, { flow: byProxy, role: 'flow' }], META).log.entries;
    expect(e1!.request).toMatchObject({ bodySize: 200_000, postData: { comment: 'the first 100 of 200000 bytes inspected' } });
    expect(e2!.request).toMatchObject({ bodySize: -1, postData: { comment: 'the body was longer than the proxy inspects (proxy.maxInspectBytes)' } });
  });

  it('exports a row stored before schema version 2 with empty, commented fields instead of made-up ones', () => {
    const old: StoredFlow = { id: 'old', device: META.device, time: T0, method: 'POST', url: 'https://a.example/p', host: 'a.example', port: 443, source: 'proxy', bodyBytes: 3, excerpt: Buffer.from('a=1') };
    const har = buildHar([{ flow: old, role: 'flow' }], META);
    expect(harSchemaErrors(har)).toEqual([]);
    expect(har.log.entries[0]!.request).toMatchObject({
      httpVersion: '', headers: [], bodySize: -1, comment: 'recorded before leakwatch kept request headers and the HTTP version: both unknown',
      postData: { mimeType: '', text: 'a=1', comment: 'recorded before leakwatch noted whether a body was cut' },
    });
    expect(har.log._tweasel.device).toEqual({ runTarget: 'device' });
  });

  it('refuses to make a HAR of nothing', () => {
    expect(() => buildHar([], META)).toThrow(RangeError);
  });
});
