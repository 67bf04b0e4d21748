import { describe, expect, it } from 'vitest';
import { Detector } from '../../../appliance/src/detect/index.js';
import { isCommonWord } from '../../../appliance/src/words/common-words.js';
import { ALIBABA_IP, US_IP, testIntel } from '../../support/intel.js';
import { at, flow, navigation } from '../../support/flows.js';

/**
 * Browser-looking requests are page traffic of page P only when their Referer/Origin is P's site,
 * and may carry only what P knows. A browser's built-in page sending other sites' URLs is a leak;
 * a page reporting itself is not, and a third-party tracker doing it is listed as a web tracker.
 */
const ARTICLE = 'https://www.bbc.com/news/world-asia-china-68213562';
const SEARCH = 'https://www.google.com/search?q=xinjiang+camps';
const BROWSER_UA = 'Mozilla/5.0 (Linux; Android 10; Redmi Note 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Mobile Safari/537.36 XiaoMi/MiuiBrowser/14.3';

function fetchFromPage(url: string, body: string, referer: string | undefined, seconds: number, ip = ALIBABA_IP) {
  return flow(url, {
    method: 'POST', body, ip, time: at(seconds),
    headers: {
      'User-Agent': BROWSER_UA, 'Content-Type': 'application/json', 'Sec-Fetch-Mode': 'cors', 'Sec-Fetch-Dest': 'empty', 'Sec-Fetch-Site': 'cross-site',
      ...(referer ? { Referer: referer, Origin: new URL(referer).origin } : {}),
    },
  });
}

const summary = (alerts: ReturnType<Detector['observe']>) => alerts.map((a) => [a.confidence, a.data.kind, a.data.value, a.destination.host]);

describe('page traffic', () => {
  it("finds the browser's own home feed sending another site's page and search, with browser headers", () => {
    const d = new Detector(testIntel(), { isCommonWord });
    d.observe(navigation('https://feed.browser.example.cn/home', { time: at(0) }));
    d.observe(navigation(SEARCH, { time: at(1) }));
    d.observe(navigation(ARTICLE, { time: at(2), headers: { Referer: SEARCH } }));
    const report = fetchFromPage('https://feed.browser.example.cn/api/report', JSON.stringify({ ev: 'visit', url: ARTICLE, q: 'xinjiang camps' }), 'https://feed.browser.example.cn/home', 10);
    expect(summary(d.observe(report))).toEqual([
      ['confirmed', 'url', ARTICLE, 'feed.browser.example.cn'],
      ['confirmed', 'search', 'xinjiang camps', 'feed.browser.example.cn'],
    ]);
    // The feed's own page, reported to its own site: quiet.
    expect(d.observe(fetchFromPage('https://feed.browser.example.cn/api/report', JSON.stringify({ url: 'https://feed.browser.example.cn/home' }), 'https://feed.browser.example.cn/home', 11))).toEqual([]);
  });

  it('finds it too when the feed page itself was never seen loading', () => {
    const d = new Detector(testIntel(), { isCommonWord });
    d.observe(navigation(ARTICLE, { time: at(0) }));
    const report = fetchFromPage('https://feed.browser.example.cn/api/report', JSON.stringify({ u: ARTICLE }), 'https://feed.browser.example.cn/home', 5);
    expect(summary(d.observe(report))).toEqual([['confirmed', 'url', ARTICLE, 'feed.browser.example.cn']]);
  });

  it("does not accuse a page of reporting itself: its own analytics are quiet, a third party's are a web tracker", () => {
    const d = new Detector(testIntel(), { isCommonWord });
    d.observe(navigation(ARTICLE, { time: at(0) }));
    expect(d.observe(fetchFromPage('https://www.bbc.com/analytics', JSON.stringify({ page: ARTICLE }), ARTICLE, 1, US_IP))).toEqual([]);
    const tongji = flow(`https://hm.baidu.com/hm.gif?si=abc&u=${encodeURIComponent(ARTICLE)}&tt=News`, { ip: ALIBABA_IP, time: at(2), headers: { 'User-Agent': BROWSER_UA, Referer: ARTICLE, 'Sec-Fetch-Dest': 'image', 'Sec-Fetch-Mode': 'no-cors' } });
    expect(d.observe(tongji)).toEqual([]);
    expect(d.webTrackers()).toEqual([{ page: 'bbc.com', host: 'hm.baidu.com', chinaLinked: true, chinaLink: 'owned-by', kinds: ['url'], count: 1, lastSeen: at(2) }]);
  });

  it('lets a page carry the page that linked to it (document.referrer), but no other browsing', () => {
    const d = new Detector(testIntel(), { isCommonWord });
    d.observe(navigation('https://www.dw.com/en/tibet/a-70123456', { time: at(0) }));
    d.observe(navigation(SEARCH, { time: at(1) }));
    d.observe(navigation(ARTICLE, { time: at(2), headers: { Referer: SEARCH } }));
    const beacon = (body: object, s: number) => fetchFromPage('https://stats.tracker.example.cn/collect', JSON.stringify(body), ARTICLE, s);
    expect(d.observe(beacon({ dl: ARTICLE, dr: SEARCH }, 3))).toEqual([]);
    expect(summary(d.observe(beacon({ dl: ARTICLE, history: ['https://www.dw.com/en/tibet/a-70123456'] }, 4)))).toEqual([['confirmed', 'url', 'https://www.dw.com/en/tibet/a-70123456', 'stats.tracker.example.cn']]);
  });

  it('takes a page request that names no page (no Referer, no Origin) for the last page loaded', () => {
    const d = new Detector(testIntel(), { isCommonWord });
    d.observe(navigation(ARTICLE, { time: at(0) }));
    expect(d.observe(fetchFromPage('https://stats.tracker.example.cn/collect', JSON.stringify({ dl: ARTICLE }), undefined, 1))).toEqual([]);
    expect(d.webTrackers().map((t) => [t.page, t.host])).toEqual([['bbc.com', 'stats.tracker.example.cn']]);
  });

  it('never merely suspects a page request', () => {
    const d = new Detector(testIntel(), { isCommonWord });
    d.observe(navigation(ARTICLE, { time: at(0) }));
    expect(d.observe(fetchFromPage('https://stats.tracker.example.cn/collect', JSON.stringify({ url: 'https://www.theguardian.com/world/2026/oct/04/unseen' }), ARTICLE, 1))).toEqual([]);
  });
});
