import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Detector } from '../../../appliance/src/detect/index.js';
import { isCommonWord } from '../../../appliance/src/words/common-words.js';
import { ALIBABA_IP, testIntel } from '../../support/intel.js';
import { at, flow, navigation, telemetry } from '../../support/flows.js';

/** Shortened and re-wrapped forms of browsing, and page URLs under names that say nothing. */
const SEARCH = 'https://www.bing.com/search?q=xinjiang+camps&form=QBLH';
const ARTICLE = 'https://www.dw.com/en/tibet-elections/a-70123456';
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const sha1 = (s: string) => createHash('sha1').update(s).digest();

function browsedBoth(): Detector {
  const d = new Detector(testIntel(), { isCommonWord });
  d.observe(navigation(SEARCH, { time: at(0) }));
  d.observe(navigation(ARTICLE, { time: at(1) }));
  return d;
}
const found = (alerts: ReturnType<Detector['observe']>) => alerts.map((a) => [a.confidence, a.data.kind, a.data.value, a.data.form]);
const post = (body: string, headers: Record<string, string> = {}) => telemetry('https://log.example.cn/t', body, { ip: ALIBABA_IP, time: at(10), headers });

describe('shortened forms of browsing', () => {
  it("finds a result page's path without its terms, but not a search template with some other query", () => {
    expect(found(browsedBoth().observe(post(JSON.stringify({ p: 'https://www.bing.com/search' }))))).toEqual([['confirmed', 'url', SEARCH, 'url-no-query']]);
    expect(browsedBoth().observe(post(JSON.stringify({ engines: [{ name: 'Bing', tpl: 'https://www.bing.com/search?q={searchTerms}' }] })))).toEqual([]);
  });

  it("finds the page's host hashed with SHA-1, inside MIME line-wrapped base64 in a form field, + sent raw", () => {
    const envelope = b64(JSON.stringify({ v: 2, h: sha1('www.dw.com').toString('hex'), t: 1791234567, pad: 'p'.repeat(90) })).replace(/(.{76})/g, '$1\r\n');
    const body = `a=1&d=${envelope.replace(/\r\n/g, '%0D%0A')}`;
    expect(found(browsedBoth().observe(post(body, FORM)))).toEqual([['confirmed', 'host', 'www.dw.com', 'sha1(host)']]);
  });

  it('finds a digest sent as the base64 of its bytes, and not inside a longer base64 run', () => {
    expect(found(browsedBoth().observe(post(JSON.stringify({ hh: b64(sha1('www.dw.com')) }))))).toEqual([['confirmed', 'host', 'www.dw.com', 'base64(sha1(host))']]);
    const longer = `QUJD${b64(sha1('www.dw.com')).replace(/=+$/, '')}QUJD`;
    expect(browsedBoth().observe(post(JSON.stringify({ hh: longer })))).toEqual([]);
  });

  it('finds a host inside base64 of base64', () => {
    expect(found(browsedBoth().observe(post(JSON.stringify({ d: b64(b64(JSON.stringify({ site: 'www.dw.com', n: 3 }))) }))))).toEqual([['confirmed', 'host', 'www.dw.com', 'host']]);
  });
});

describe('page URLs under names that say nothing, when the browsing was not seen', () => {
  const unseen = 'https://www.theguardian.com/world/2026/oct/04/hong-kong-protest-anniversary';
  it('suspects a page URL in a short field or an app header', () => {
    const d = new Detector(testIntel(), { isCommonWord });
    expect(found(d.observe(post(JSON.stringify({ u: unseen }))))).toEqual([['suspected', 'url', unseen, 'field:u']]);
    expect(found(d.observe(flow('https://o2o.example.cn/feed', { ip: ALIBABA_IP, time: at(11), headers: { 'User-Agent': 'okhttp/4.9.3', 'X-Page': unseen } })))).toEqual([['suspected', 'url', unseen, 'field:x-page']]);
  });

  it.each([
    ['a privacy policy', { u: 'https://www.example.org/legal/privacy-policy' }],
    ['a site root', { u: 'https://www.example.org/' }],
    ['an image', { p: 'https://img.example.org/news/2026/hero.jpg' }],
    ['an API callback', { cb: 'https://api.partner.example/v1/notify' }],
    ['a share link', { s: 'https://www.facebook.com/sharer/sharer.php' }],
    ['an app store page', { l: 'https://play.google.com/store/apps/details?id=com.example' }],
    ['a page on the receiver\'s own site', { u: 'https://news.example.cn/world/story-1' }],
    ['a page URL under a name that is neither short nor a browsing field', { description: unseen }],
  ])('does not suspect %s', (_name, body) => {
    expect(new Detector(testIntel(), { isCommonWord }).observe(telemetry('https://log.example.cn/t', JSON.stringify(body), { ip: ALIBABA_IP }))).toEqual([]);
  });

  it('does not suspect a plumbing URL in a header', () => {
    const d = new Detector(testIntel(), { isCommonWord });
    expect(d.observe(flow('https://o2o.example.cn/feed', { ip: ALIBABA_IP, headers: { 'User-Agent': 'okhttp/4.9.3', 'X-Callback-Url': 'https://api.partner.example/v2/callback', 'X-Client-Site': 'https://www.example.org/' } }))).toEqual([]);
  });
});
