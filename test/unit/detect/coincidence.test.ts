import { describe, expect, it } from 'vitest';
import { Detector } from '../../../appliance/src/detect/index.js';
import { isCommonWord } from '../../../appliance/src/words/common-words.js';
import { ALIBABA_IP, testIntel } from '../../support/intel.js';
import { at, navigation, telemetry } from '../../support/flows.js';

/**
 * An alert is an accusation: a value the user browsed that apps also send for their own reasons
 * (a one-word search that is a category name, a search engine's host, a short CJK word inside a
 * sentence, a host on a share list the app sent before) is no evidence by itself. Each case has the
 * negative a careless rule would hit and the positive that must still be found.
 */
const detector = () => new Detector(testIntel(), { isCommonWord });
const COLLECTOR = 'https://api.feed.example.cn/v1/events';
const search = (engineUrl: string) => engineUrl;
const send = (d: Detector, body: unknown, seconds: number) =>
  d.observe(telemetry(COLLECTOR, JSON.stringify(body), { ip: ALIBABA_IP, time: at(seconds) })).map((a) => [a.confidence, a.data.kind, a.data.value, a.path]);

describe('coincidences are not leaks', () => {
  it('a one-word common search is found only as the whole value of a search field', () => {
    const d = detector();
    d.observe(navigation(search('https://www.google.com/search?q=news'), { time: at(0) }));
    expect(send(d, { tab: 'news', category: 'news', title: 'Top news today' }, 5)).toEqual([]);
    expect(send(d, { event: 'search', properties: { search_word: 'news' } }, 6)).toEqual([['confirmed', 'search', 'news', 'json:$.properties.search_word']]);
    expect(send(d, { sug: 'https://s.example.cn/sug?q=news&src=bar' }, 7)).toEqual([['confirmed', 'search', 'news', 'json:$.sug → query:q']]);
  });

  it('a rare or longer search is found anywhere, as before', () => {
    const d = detector();
    d.observe(navigation('https://www.google.com/search?q=xinjiang', { time: at(0) }));
    d.observe(navigation('https://www.bing.com/search?q=weather+in+lhasa+tibet', { time: at(1) }));
    expect(send(d, { t: 'recent: xinjiang' }, 5)).toEqual([['confirmed', 'search', 'xinjiang', 'json:$.t']]);
    expect(send(d, { h: ['weather in lhasa tibet'] }, 6)).toEqual([['confirmed', 'search', 'weather in lhasa tibet', 'json:$.h[0]']]);
  });

  it('a short CJK search is not found inside a longer CJK sentence, but is as a value or between other text', () => {
    const d = detector();
    d.observe(navigation(`https://www.baidu.com/s?wd=${encodeURIComponent('天气')}`, { time: at(0) }));
    d.observe(navigation(`https://www.baidu.com/s?wd=${encodeURIComponent('六四')}`, { time: at(1) }));
    expect(send(d, { push: { title: '今天天气很好，出门记得带伞', body: '第六四五期节目' } }, 5)).toEqual([]);
    expect(send(d, { category: '天气' }, 6)).toEqual([]);
    expect(send(d, { word: '天气' }, 7)).toEqual([['confirmed', 'search', '天气', 'json:$.word']]);
    expect(send(d, { word: '六四' }, 8)).toEqual([['confirmed', 'search', '六四', 'json:$.word']]);
    expect(send(d, { recent: 'last search: 六四 (baidu)' }, 9)).toEqual([['confirmed', 'search', '六四', 'json:$.recent']]);
  });

  it('a search engine host is found only as the whole value of a field named for a place', () => {
    const d = detector();
    d.observe(navigation('https://www.bing.com/search?q=xinjiang+camps', { time: at(0) }));
    expect(send(d, { engines: ['www.google.com', 'www.bing.com'], default: 'www.bing.com' }, 5)).toEqual([]);
    expect(send(d, { last_domain: 'www.bing.com' }, 6)).toEqual([['confirmed', 'host', 'www.bing.com', 'json:$.last_domain']]);
  });

  it('a value the app sent that destination before the browsing is not caused by it; the page itself still is', () => {
    const d = detector();
    const shareTargets = { share: ['www.facebook.com', 'twitter.com', 'www.bbc.com', 'www.reuters.com'], kw: 'weather' };
    expect(send(d, shareTargets, 0)).toEqual([]);
    d.observe(navigation('https://www.bbc.com/news/world-asia-china-1', { time: at(300) }));
    d.observe(navigation('https://www.google.com/search?q=weather', { time: at(301) }));
    expect(send(d, shareTargets, 330)).toEqual([]);
    expect(send(d, { page: 'https://www.bbc.com/news/world-asia-china-1' }, 331)).toEqual([['confirmed', 'url', 'https://www.bbc.com/news/world-asia-china-1', 'json:$.page']]);
    // A host never sent before is browsing data, to the same destination.
    d.observe(navigation('https://www.dw.com/en/tibet/a-1', { time: at(340) }));
    expect(send(d, { share: ['www.facebook.com', 'www.dw.com'] }, 345)).toEqual([['confirmed', 'host', 'www.dw.com', 'json:$.share[1]']]);
  });

  it('does not suspect a one-word common term in a search field when no search was seen (a widget sends that)', () => {
    const d = detector();
    expect(send(d, { kw: 'weather', keyword: 'news' }, 1)).toEqual([]);
    expect(send(d, { keyword: 'tiananmen square 1989' }, 2)).toEqual([['suspected', 'search', 'tiananmen square 1989', 'json:$.keyword']]);
  });

  it('keeps the look-back: a report seen just before the page load it reports is still confirmed', () => {
    const d = detector();
    const page = 'https://www.scmp.com/news/china/article/3280001/party-congress';
    expect(send(d, { current: page, h: 'www.scmp.com' }, 10)).toEqual([]);
    const late = d.observe(navigation(page, { time: at(12) })).map((a) => [a.confidence, a.data.kind, a.data.value]);
    expect(late).toEqual([['confirmed', 'url', page], ['confirmed', 'host', 'www.scmp.com']]);
    // …and reported again after it, to the same place: still the browsing, not a fixed list.
    expect(send(d, { current: page }, 20)).toEqual([['confirmed', 'url', page, 'json:$.current']]);
  });
});
