import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decode } from '../../../../appliance/src/detect/decode/index.js';
import { formatPath } from '../../../../appliance/src/model/index.js';
import { URL, b64, leaves } from './helpers.js';

/** The worked Mint `search` event of TELEMETRY-FACTS §2.5. */
const MINT_EVENT = [{ _track_id: -1234567890, time: 1588500000000, type: 'track', distinct_id: '0f8e3c2a-5b7d-4e1f-9a6c-123456789abc', lib: { $lib: 'Android', $lib_version: '3.2.10', $app_version: '3.4.0', $lib_method: 'code', $lib_detail: 'miui.globalbrowser.common_business.g.i##a##SourceFile##1' }, event: 'search', properties: { $os: 'Android', $os_version: '9', $manufacturer: 'Xiaomi', $model: 'Redmi Note 8', $device_id: 'a1b2c3d4e5f60718', $wifi: true, $network_type: 'WIFI', $is_first_day: false, uuid: '0f8e3c2a-5b7d-4e1f-9a6c-123456789abc', miui_region: 'SG', used_searchengine: 'google', search_word: 'privacy test query', $lib_method: 'code' }, _flush_time: 1588500005000 }];

/** gzip as Java writes it (OS byte 0), base64, `Uri.encode`, form: the Sensors Analytics Android flush. */
function sensorsBody(events: unknown): string {
  const gz = gzipSync(JSON.stringify(events));
  gz[9] = 0;
  return `crc=1091923638&gzip=1&data_list=${encodeURIComponent(gz.toString('base64'))}`;
}

describe('the walk', () => {
  it('reads the Sensors Analytics flush down to the search term', () => {
    const body = sensorsBody(MINT_EVENT);
    expect(body.startsWith('crc=1091923638&gzip=1&data_list=H4sIAAAAAAAAA')).toBe(true);
    const r = decode({ data: Buffer.from(body), contentType: 'application/x-www-form-urlencoded' });
    const found = r.leaves.filter((l) => l.text === 'privacy test query').map((l) => formatPath(l.steps));
    expect(found).toEqual(['form:data_list → base64 → gzip → json:$[0].properties.search_word']);
    expect([r.problems, r.opaque, r.exhausted]).toEqual([[], [], false]);
  });

  it('reads base64 inside JSON inside gzip inside base64', () => {
    const inner = JSON.stringify({ page: b64(JSON.stringify({ url: URL })) });
    const data = JSON.stringify({ blob: b64(gzipSync(inner)) });
    expect(leaves({ data })).toEqual([['json:$.blob → base64 → gzip → json:$.page → base64 → json:$.url', URL]]);
  });

  it('puts the caller\'s root steps first', () => {
    expect(leaves({ data: b64(URL), root: [{ codec: 'query', at: 'data' }] })).toEqual([['query:data → base64', URL]]);
  });

  it('lists the same text reached by the same chain once', () => {
    expect(leaves({ data: `u=${encodeURIComponent(URL)}&u=${encodeURIComponent(URL)}&u=${b64(URL)}`, contentType: 'application/x-www-form-urlencoded' })).toEqual([
      ['form:u', URL],
      ['form:u → base64', URL],
    ]);
  });

  it.each([
    ['an MD5', createHash('md5').update(URL).digest('hex')],
    ['a SHA-256', createHash('sha256').update(URL).digest('hex')],
    ['a UUID', '0f8e3c2a-5b7d-4e1f-9a6c-123456789abc'],
    ['an identifier', 'page_load_event_finish'],
    ['a long word', 'internationalization'],
    ['a sentence', 'privacy test query'],
    ['a URL without a query', URL],
    ['a number as text', '1588500005000'],
  ])('keeps %s as it is', (_name, value) => {
    expect(leaves({ data: JSON.stringify({ v: value }) })).toEqual([['json:$.v', value]]);
  });

  it('does not sniff a form at the root: a query-like text body stays one leaf', () => {
    expect(leaves({ data: 'a=1&b=2' })).toEqual([['', 'a=1&b=2']]);
  });

  it('records where an opaque blob sat', () => {
    const noise = createHash('sha512').update('a').digest();
    const blob = Buffer.concat([noise, createHash('sha512').update('b').digest(), createHash('sha512').update('c').digest()]);
    const r = decode({ data: JSON.stringify({ enc: blob.toString('base64') }) });
    expect(r.opaque.map((o) => [formatPath(o.steps), o.bytes])).toEqual([['json:$.enc → base64', 192]]);
  });

  it('stops at the value budget, says so, and keeps what it found', () => {
    const r = decode({ data: JSON.stringify(Array.from({ length: 20 }, (_, i) => `value number ${i}`)), budget: { maxNodes: 5 } });
    expect([r.leaves.map((l) => l.text), r.exhausted, r.problems.map((p) => `${p.codec}:${p.reason}`)]).toEqual([['value number 0', 'value number 1', 'value number 2'], true, ['json:budget']]);
  });

  it('stops at a caller-set depth budget', () => {
    const r = decode({ data: b64(b64(b64(URL))), budget: { maxDepth: 2 } });
    expect([r.leaves.map((l) => [formatPath(l.steps), l.text]), r.problems.map((p) => `${p.codec}:${p.reason}`)]).toEqual([[['base64 → base64', b64(URL)]], ['walk:depth']]);
  });

  it('charges every decoded byte to the total budget', () => {
    const r = decode({ data: gzipSync(URL) });
    expect([r.bytesProduced, r.nodes]).toEqual([URL.length, 3]);
  });

  it('refuses steps the rest of the total bytes budget cannot pay for, and keeps the encoded text as a leaf', () => {
    // The JSON strings take 112 of the 120 bytes; neither base64 (40 bytes each) fits in the rest.
    const r = decode({ data: JSON.stringify({ a: b64(URL), b: b64(URL.toUpperCase()) }), budget: { maxTotalBytes: 120 } });
    expect([r.leaves.map((l) => l.text), r.exhausted, r.problems.map((p) => `${p.codec}:${p.reason}`)]).toEqual([[b64(URL), b64(URL.toUpperCase())], true, ['base64:budget', 'base64:budget']]);
  });

  it('stops when the request\'s time is up by the clock it is given, says so, and keeps what it found', () => {
    let now = 0;
    const clock = () => (now += 1);
    const data = JSON.stringify(Array.from({ length: 500 }, (_, i) => `value number ${i}`));
    const r = decode({ data, budget: { clock, maxMillis: 3 }, deadline: 3 });
    expect(r.outOfTime).toBe(true);
    expect(r.exhausted).toBe(true);
    expect(r.leaves.length).toBeGreaterThan(0);
    expect(r.leaves.length).toBeLessThan(500);
    expect(r.problems.map((p) => [p.codec, p.reason, p.detail])).toEqual([['walk', 'budget', "stopped after 3 ms, the request's time budget"]]);
    // A part that starts after the deadline is not read at all; without a clock there is no limit.
    expect(decode({ data, budget: { clock: () => 10 }, deadline: 3 }).leaves).toEqual([]);
    expect(decode({ data, deadline: 3 }).leaves).toHaveLength(500);
  });
});
