import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Detector } from '../../../appliance/src/detect/index.js';
import { ALIBABA_IP, US_IP, testIntel } from '../../support/intel.js';
import { at, flow, navigation, telemetry } from '../../support/flows.js';

const PAGE = 'https://www.bbc.com/news/world-asia-123';
const SEARCH = 'https://www.google.com/search?q=privacy+test+query';
const SA = 'https://sa.api.intl.miui.com/sa?project=global_browser_mini&r=SG';

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
/** Android Uri.encode: keeps A-Z a-z 0-9 _-!.~'()* and percent-encodes the rest. */
const uriEncode = (s: string) => s.replace(/[^A-Za-z0-9_\-!.~'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

function sensorsBody(events: object[]): string {
  const data = gzipSync(Buffer.from(JSON.stringify(events))).toString('base64');
  return `crc=123&gzip=1&data_list=${uriEncode(data)}`;
}

function browsed(d: Detector, ...urls: string[]) {
  urls.forEach((u, i) => expect(d.observe(navigation(u, { time: at(i) }))).toEqual([]));
}

const form = { 'Content-Type': 'application/x-www-form-urlencoded' };

describe('Detector', () => {
  it('confirms a visited URL sent base64 in JSON to an Alibaba range', () => {
    const d = new Detector(testIntel());
    browsed(d, PAGE);
    const alerts = d.observe(telemetry('https://log.example.cn/t', JSON.stringify({ p: b64(JSON.stringify({ url: PAGE })) }), { ip: ALIBABA_IP, time: at(10) }));
    expect(alerts).toMatchObject([{
      confidence: 'confirmed', severity: 'high', device: 'phone',
      data: { kind: 'url', value: PAGE, matched: PAGE, form: 'url' },
      path: 'json:$.p → base64 → json:$.url',
      destination: { host: 'log.example.cn', ip: ALIBABA_IP, chinaLinked: true },
      flow: { method: 'POST', url: 'https://log.example.cn/t', source: 'har' },
    }]);
    expect(alerts[0]!.evidence.browsedUrl).toBe(PAGE);
    expect(alerts[0]!.evidence.excerpt.slice(...alerts[0]!.evidence.highlight)).toBe(PAGE);
  });

  it('reads Sensors Analytics batches: page URLs and search words, with the documented chain', () => {
    const d = new Detector(testIntel());
    browsed(d, PAGE, SEARCH);
    const body = sensorsBody([
      { event: 'page_load_event_finish', properties: { url: PAGE } },
      { event: 'search', properties: { search_word: 'privacy test query', used_searchengine: 'google' } },
    ]);
    const alerts = d.observe(telemetry(SA, body, { ip: ALIBABA_IP, time: at(20), headers: form }));
    expect(alerts.map((a) => [a.data.kind, a.data.value, a.path, a.evidence.format])).toEqual([
      ['url', PAGE, 'form:data_list → base64 → gzip → json:$[0].properties.url', 'sensors-analytics'],
      ['search', 'privacy test query', 'form:data_list → base64 → gzip → json:$[1].properties.search_word', 'sensors-analytics'],
    ]);
  });

  it('does not alert on navigations, page subresources or page beacons that carry the page URL', () => {
    const d = new Detector(testIntel());
    browsed(d, PAGE);
    const ref = { Referer: PAGE };
    expect(d.observe(flow(`https://www.google-analytics.com/g/collect?dl=${encodeURIComponent(PAGE)}`, { headers: ref, ip: US_IP }))).toEqual([]);
    expect(d.observe(flow('https://static.example.net/app.js', { resourceType: 'script', ip: ALIBABA_IP }))).toEqual([]);
    expect(d.observe(navigation(PAGE, { time: at(30) }))).toEqual([]);
  });

  it('treats a request to the browsed site\'s own registrable domain as first-party', () => {
    const d = new Detector(testIntel());
    browsed(d, PAGE);
    expect(d.observe(telemetry('https://analytics.bbc.com/collect', JSON.stringify({ url: PAGE }), { ip: US_IP }))).toEqual([]);
  });

  it('does not alert on telemetry without browsing data, or on encrypted payloads (those are listed as opaque)', () => {
    const d = new Detector(testIntel());
    browsed(d, PAGE);
    expect(d.observe(telemetry(SA, JSON.stringify({ event: 'app_start', model: 'Redmi Note 8', url: 'https://sa.api.intl.miui.com/config' }), { ip: ALIBABA_IP }))).toEqual([]);
    const encrypted = `crc=1&gzip=9&data_list=${encodeURIComponent(JSON.stringify([{ ekey: b64(randomBytes(128)), pkv: 3, payloads: [b64(randomBytes(400))] }]))}`;
    expect(d.observe(telemetry(SA, encrypted, { ip: ALIBABA_IP, headers: form }))).toEqual([]);
    expect(d.opaqueTelemetry()).toEqual([{ host: 'sa.api.intl.miui.com', format: 'sensors-analytics (encrypted, gzip=9)', count: 1, chinaLinked: true }]);
  });

  it.each([
    ['md5', 'md5(url)'],
    ['sha1', 'sha1(url)'],
    ['sha256', 'sha256(url)'],
  ])('finds the %s hex of a visited URL', (algorithm, formName) => {
    const d = new Detector(testIntel());
    browsed(d, PAGE);
    const hash = createHash(algorithm).update(PAGE).digest('hex').toUpperCase();
    expect(d.observe(telemetry('https://t.example.cn/h', JSON.stringify({ h: hash }), { ip: ALIBABA_IP }))).toMatchObject([{ data: { kind: 'url', form: formName, matched: hash } }]);
  });

  it('reports a visited host once, inside the URL leak, not twice', () => {
    const d = new Detector(testIntel());
    browsed(d, PAGE);
    const alerts = d.observe(telemetry('https://t.example.cn/x', JSON.stringify({ page: PAGE, site: 'www.bbc.com' }), { ip: ALIBABA_IP }));
    expect(alerts.map((a) => [a.data.kind, a.path])).toEqual([['url', 'json:$.page'], ['host', 'json:$.site']]);
  });

  it('matches a page load recorded just after the telemetry that reports it', () => {
    const d = new Detector(testIntel());
    expect(d.observe(telemetry('https://t.example.cn/x', JSON.stringify({ current: PAGE }), { ip: ALIBABA_IP, time: at(1) }))).toEqual([]);
    expect(d.observe(navigation(PAGE, { time: at(2) }))).toMatchObject([{ confidence: 'confirmed', data: { kind: 'url', value: PAGE }, flow: { url: 'https://t.example.cn/x' } }]);
    expect(d.observe(navigation(PAGE, { time: at(3) }))).toEqual([]);
  });

  it('raises a suspected leak again as confirmed when the page load shows up', () => {
    const d = new Detector(testIntel());
    const [suspected] = d.observe(telemetry('https://t.example.cn/x', JSON.stringify({ page_url: PAGE }), { ip: ALIBABA_IP, time: at(1) }));
    expect(suspected).toMatchObject({ confidence: 'suspected' });
    // The same id: the store replaces the suspected alert with this one and sends it as an update.
    expect(d.observe(navigation(PAGE, { time: at(2) }))).toMatchObject([{ id: suspected!.id, confidence: 'confirmed', data: { value: PAGE } }]);
  });

  it('does not take the bare home page of a ubiquitous host as browsing, but does take its pages', () => {
    const d = new Detector(testIntel());
    browsed(d, 'https://www.google.com/', 'https://www.youtube.com/watch?v=abc123XYZ');
    const body = JSON.stringify({ probe: 'https://www.google.com/', v: 'https://www.youtube.com/watch?v=abc123XYZ' });
    expect(d.observe(telemetry('https://t.example.cn/x', body, { ip: ALIBABA_IP })).map((a) => a.data.value)).toEqual(['https://www.youtube.com/watch?v=abc123XYZ']);
  });

  it('keeps devices apart and forgets browsing after the window', () => {
    const d = new Detector(testIntel(), { windowMs: 60_000 });
    browsed(d, PAGE);
    const body = JSON.stringify({ u: PAGE });
    // Not confirmed: the laptop did not browse it, and the phone's browsing has expired; `u` holding a page is suspected.
    expect(d.observe(telemetry('https://t.example.cn/x', body, { ip: ALIBABA_IP, device: 'laptop', time: at(5) })).map((a) => a.confidence)).toEqual(['suspected']);
    expect(d.observe(telemetry('https://t.example.cn/x', body, { ip: ALIBABA_IP, time: at(120) })).map((a) => a.confidence)).toEqual(['suspected']);
  });

  it('suspects browsing fields when the browsing itself was not seen', () => {
    const d = new Detector(testIntel());
    const alerts = d.observe(telemetry(SA, sensorsBody([{ event: 'page_load_event_start', properties: { url: 'https://unseen.example.org/page' } }]), { ip: ALIBABA_IP, headers: form }));
    expect(alerts).toMatchObject([{ confidence: 'suspected', severity: 'medium', data: { kind: 'url', value: 'https://unseen.example.org/page', form: 'field:url' } }]);
    expect(new Detector(testIntel(), { suspected: false }).observe(telemetry(SA, sensorsBody([{ properties: { url: 'https://unseen.example.org/page' } }]), { ip: ALIBABA_IP, headers: form }))).toEqual([]);
  });

  it('finds leaks to ordinary third parties too, not marked china-linked', () => {
    const d = new Detector(testIntel());
    browsed(d, SEARCH);
    expect(d.observe(telemetry('https://collect.tracker.example/e?q=privacy%20test%20query', '', { ip: US_IP, method: 'GET' }))).toMatchObject([
      { severity: 'medium', data: { kind: 'search', value: 'privacy test query' }, path: 'query:q', destination: { chinaLinked: false } },
    ]);
  });

  it('proves a planted canary anywhere, with critical severity to china-linked receivers', () => {
    const d = new Detector(testIntel(), { canaries: ['lw-canary-7f3a9c'] });
    expect(d.observe(telemetry('https://t.example.cn/x', JSON.stringify({ v: b64('visited lw-canary-7f3a9c') }), { ip: ALIBABA_IP }))).toMatchObject([
      { confidence: 'proven', severity: 'critical', data: { kind: 'canary', value: 'lw-canary-7f3a9c' } },
    ]);
  });

  it('takes canaries planted while it runs, and forgets removed ones', () => {
    const d = new Detector(testIntel());
    const report = (n: number) => telemetry(`https://t.example.cn/x${n}`, JSON.stringify({ q: 'leakwatch lwc-5g8m2p' }), { ip: ALIBABA_IP });
    expect(d.observe(report(1))).toEqual([]);
    d.addCanary('lwc-5g8m2p');
    d.addCanary('lwc-5g8m2p');
    expect(d.observe(report(2))).toMatchObject([{ confidence: 'proven', data: { kind: 'canary', value: 'lwc-5g8m2p' } }]);
    d.removeCanary('lwc-5g8m2p');
    expect(d.observe(report(3))).toEqual([]);
  });

  it('gives the same alert the same id', () => {
    const run = () => {
      const d = new Detector(testIntel());
      browsed(d, PAGE);
      const f = telemetry('https://t.example.cn/x', JSON.stringify({ u: PAGE }), { ip: ALIBABA_IP });
      f.id = 'fixed';
      return d.observe(f)[0]!.id;
    };
    expect(run()).toMatch(/^[0-9a-f]{24}$/);
    expect(run()).toBe(run());
  });

  it('counts the requests its decode time budget cut short, by the clock it is given', () => {
    let now = 0;
    const d = new Detector(testIntel(), { decodeBudget: { clock: () => (now += 5), maxMillis: 20 } });
    const big = JSON.stringify(Array.from({ length: 400 }, (_, i) => ({ n: i, v: `item ${i}` })));
    d.observe(telemetry('https://t.example.cn/x', big, { ip: ALIBABA_IP }));
    d.observe(telemetry('https://t.example.cn/x', '{"small":1}', { ip: ALIBABA_IP }));
    expect(d.counts.outOfTime).toBe(1);
  });
});
