import { describe, expect, it } from 'vitest';
import { isSearchEngineHost, searchTermOf } from '../../../appliance/src/detect/search-engines.js';

describe('searchTermOf', () => {
  it.each([
    ['https://www.google.com/search?q=privacy+test+query&hl=en', 'Google', 'privacy test query'],
    ['https://www.google.co.uk/search?client=ms&q=tiananmen%201989', 'Google', 'tiananmen 1989'],
    ['https://www.bing.com/search?q=vpn+china', 'Bing', 'vpn china'],
    ['https://duckduckgo.com/?q=how+to+leave&ia=web', 'DuckDuckGo', 'how to leave'],
    ['https://www.baidu.com/s?wd=%E5%A4%A9%E5%AE%89%E9%97%A8', 'Baidu', '天安门'],
    ['https://m.baidu.com/s?word=flights', 'Baidu', 'flights'],
    ['https://yandex.ru/search/?text=news', 'Yandex', 'news'],
    ['https://search.yahoo.com/search?p=weather', 'Yahoo!', 'weather'],
    ['https://www.sogou.com/web?query=abc+def', 'Sogou', 'abc def'],
    ['https://search.brave.com/search?q=privacy', 'Brave Search', 'privacy'],
    ['https://www.so.com/s?q=hello', '360 Search', 'hello'],
    ['https://m.sm.cn/s?q=shenma', 'Shenma', 'shenma'],
  ])('reads the term of %s', (url, engine, term) => {
    expect(searchTermOf(new URL(url))).toEqual({ engine, term });
  });

  it.each([
    ['a Google page that is not a result page', 'https://www.google.com/maps/place?q=Berlin'],
    ['a result page with an empty query', 'https://www.bing.com/search?q=%20'],
    ['a site that only looks like an engine', 'https://google.example.com/search?q=x'],
    ['a news page', 'https://www.bbc.com/news?q=world'],
  ])('finds no term in %s', (_name, url) => {
    expect(searchTermOf(new URL(url))).toBeUndefined();
  });

  it('knows engine hosts, which alone are not evidence of browsing', () => {
    expect(isSearchEngineHost('www.google.de')).toBe(true);
    expect(isSearchEngineHost('www.bbc.com')).toBe(false);
  });
});
