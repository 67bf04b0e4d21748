import { describe, expect, it } from 'vitest';
import type { Boundary } from '../../../appliance/src/detect/forms.js';
import { PatternSet, bounded } from '../../../appliance/src/detect/match.js';

function set(patterns: [string, Boundary][]): PatternSet<string> {
  const s = new PatternSet<string>();
  for (const [text, boundary] of patterns) s.add({ text, boundary, ref: text });
  return s;
}

const found = (s: PatternSet<string>, text: string) => s.scan(text).map((h) => [h.pattern.ref, h.start]);

describe('PatternSet', () => {
  it('finds URLs that share the https:// prefix, each once, with positions', () => {
    const s = set([['https://news.example.org/a', 'url'], ['https://news.example.org/b', 'url'], ['news.example.org', 'host']]);
    const text = '{"u":"https://news.example.org/b","v":"https://news.example.org/a"}';
    expect(found(s, text)).toEqual([
      ['https://news.example.org/b', 6],
      ['news.example.org', 14],
      ['https://news.example.org/a', 39],
      ['news.example.org', 47],
    ]);
  });

  it('finds short patterns (3–7 chars) too', () => {
    expect(found(set([['cat', 'word'], ['tiktok', 'word']]), 'a cat; tiktok')).toEqual([['cat', 2], ['tiktok', 7]]);
  });

  it('refuses single characters but finds two-character (CJK) terms', () => {
    const s = new PatternSet<string>();
    expect(s.add({ text: 'a', boundary: 'word', ref: 'a' })).toBeUndefined();
    s.add({ text: '六四', boundary: 'word', ref: '六四' });
    expect(s.size).toBe(1);
    expect(found(s, '{"word":"六四"}')).toEqual([['六四', 9]]);
  });

  it('forgets removed patterns, also after a rebuild', () => {
    const s = new PatternSet<string>();
    const ids = Array.from({ length: 3000 }, (_, i) => s.add({ text: `https://site${i}.example/page`, boundary: 'url', ref: String(i) })!);
    for (const id of ids.slice(0, 2500)) s.remove(id);
    expect(s.size).toBe(500);
    expect(found(s, 'https://site10.example/page')).toEqual([]);
    expect(found(s, 'x https://site2999.example/page')).toEqual([['2999', 2]]);
  });

  it('scans a text with 5,000 patterns and finds exactly the planted ones', () => {
    const s = new PatternSet<string>();
    for (let i = 0; i < 5000; i++) s.add({ text: `https://host${i}.example.com/path/${i}`, boundary: 'url', ref: String(i) });
    const filler = 'lorem ipsum https://host.example.com/path/ '.repeat(2000);
    const text = `${filler}https://host4242.example.com/path/4242 ${filler}https://host7.example.com/path/7"`;
    expect(found(s, text).map(([ref]) => ref)).toEqual(['4242', '7']);
  });
});

describe('bounded', () => {
  it.each([
    // URL: no path continuation after the match
    ['https://a.example/x', 'https://a.example/x"', 'url', true],
    ['https://a.example/x', 'https://a.example/x?y=1', 'url', true],
    ['https://a.example/x', 'https://a.example/xyz', 'url', false],
    ['https://a.example/x', 'https://a.example/x/more', 'url', false],
    ['https://a.example/x', 'https://a.example/x/"', 'url', true],
    ['https://a.example/', 'https://a.example/news', 'url', false],
    // bare-url: a result page cut at its query, only where the URL ends
    ['https://g.example/search', '"https://g.example/search"', 'bare-url', true],
    ['https://g.example/search', 'https://g.example/search?q={searchterms}', 'bare-url', false],
    ['https://g.example/search', 'https://g.example/search#x', 'bare-url', false],
    ['https://g.example/search', 'https://g.example/searches', 'bare-url', false],
    // base64 of a digest: not inside a longer base64 run; padding may follow
    ['2jmj7l5rsw0yvb/vlwaykk/ybwk', '"2jmj7l5rsw0yvb/vlwaykk/ybwk="', 'base64', true],
    ['2jmj7l5rsw0yvb/vlwaykk/ybwk', 'x2jmj7l5rsw0yvb/vlwaykk/ybwk', 'base64', false],
    ['2jmj7l5rsw0yvb/vlwaykk/ybwk', '2jmj7l5rsw0yvb/vlwaykk/ybwk+a', 'base64', false],
    // host: not part of a longer host
    ['bbc.com', 'www.bbc.com', 'host', false],
    ['bbc.com', 'notbbc.com', 'host', false],
    ['bbc.com', 'bbc.com.evil.example', 'host', false],
    ['bbc.com', '"bbc.com"', 'host', true],
    ['bbc.com', 'visited bbc.com.', 'host', true],
    ['bbc.com', 'https://bbc.com/news', 'host', true],
    // hex: not inside a longer hex string
    ['abcdef12', 'abcdef12', 'hex', true],
    ['abcdef12', '0abcdef12', 'hex', false],
    // word: search terms
    ['weather', 'weather', 'word', true],
    ['weather', 'weatherwidget', 'word', false],
    ['weather', 'weather_widget_shown', 'word', false],
    ['weather', '"weather"', 'word', true],
    ['天安门', '我搜索天安门事件', 'word', true],
  ] as const)('%s in %s (%s) → %s', (pattern, text, boundary, expected) => {
    const start = text.indexOf(pattern);
    expect(bounded(text, start, start + pattern.length, boundary)).toBe(expected);
  });
});
