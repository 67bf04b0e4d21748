import { describe, expect, it } from 'vitest';
import { isCommonWord } from '../../../appliance/src/words/common-words.js';
import { insideCjkRun, weakHostCounts, weakSearchCounts, weighSearchTerm } from '../../../appliance/src/detect/weak-values.js';
import type { DecodeStep } from '../../../appliance/src/model/index.js';

const json = (at: string): DecodeStep[] => [{ codec: 'json', at }];

describe('the common-word lists', () => {
  it.each(['news', 'Weather', 'maps', 'football', '天气', '新闻', 'noticias', 'wetter'])('knows %s', (w) => expect(isCommonWord(w)).toBe(true));
  it.each(['xinjiang', 'tiananmen', 'uyghur', '六四', '法轮功', 'falun'])('does not take %s for a common word', (w) => expect(isCommonWord(w)).toBe(false));
});

describe('weighing a search term', () => {
  it.each([
    ['news', true], ['weather', true], ['maps', true], ['2024', true], ['vpn', true], ['zzzq', true],
    ['xinjiang', false], ['uyghurs', false], ['tiananmen square 1989', false], ['falun gong history', false],
    ['weather today', true], ['top news', true], ['xinjiang camps', false], ['protest hong kong police', false],
  ])('%s → weak %s', (term, weak) => expect(weighSearchTerm(term, isCommonWord).weak).toBe(weak));

  it('weighs CJK terms by the list, and marks the short ones', () => {
    expect(weighSearchTerm('天气', isCommonWord)).toEqual({ weak: true, shortCjk: true });
    expect(weighSearchTerm('六四', isCommonWord)).toEqual({ weak: false, shortCjk: true });
    expect(weighSearchTerm('法轮功', isCommonWord)).toEqual({ weak: false, shortCjk: true });
    expect(weighSearchTerm('新疆再教育营', isCommonWord)).toEqual({ weak: false, shortCjk: false });
    expect(weighSearchTerm('六', isCommonWord).weak).toBe(true);
  });
});

describe('where a weak value counts', () => {
  it('takes a weak search term only as the whole value of a search-named field', () => {
    expect(weakSearchCounts('news', 0, 4, json('$.keyword'))).toBe(true);
    expect(weakSearchCounts(' news ', 1, 5, json('$.properties.search_word'))).toBe(true);
    expect(weakSearchCounts('news', 0, 4, [{ codec: 'query', at: 'q' }])).toBe(true);
    expect(weakSearchCounts('news', 0, 4, json('$.category'))).toBe(false);
    expect(weakSearchCounts('news', 0, 4, json('$.tab'))).toBe(false);
    expect(weakSearchCounts('latest news', 7, 11, json('$.query'))).toBe(false);
    expect(weakSearchCounts('news', 0, 4, [])).toBe(false);
  });

  it('takes a weak host only as the whole value of a field named for a place', () => {
    expect(weakHostCounts('www.bing.com', 0, 12, json('$.domain'))).toBe(true);
    expect(weakHostCounts('https://www.bing.com/', 8, 20, json('$.page_url'))).toBe(true);
    expect(weakHostCounts('www.bing.com', 0, 12, json('$.engines[0]'))).toBe(false);
    expect(weakHostCounts('https://www.bing.com/search', 8, 20, json('$.url'))).toBe(false);
    expect(weakHostCounts('default www.bing.com', 8, 20, json('$.host'))).toBe(false);
  });

  it('sees a match inside a longer CJK sentence', () => {
    const push = '今天天气很好，出门记得带伞';
    const at = push.indexOf('天气');
    expect(insideCjkRun(push, at, at + 2)).toBe(true);
    expect(insideCjkRun('天气', 0, 2)).toBe(false);
    expect(insideCjkRun('q=六四&x', 2, 4)).toBe(false);
  });
});
