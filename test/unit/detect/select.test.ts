import { describe, expect, it } from 'vitest';
import { formsOf } from '../../../appliance/src/detect/forms.js';
import { PatternSet } from '../../../appliance/src/detect/match.js';
import type { PatternRef, Remembered } from '../../../appliance/src/detect/memory.js';
import { selectHits } from '../../../appliance/src/detect/select.js';

function patternsFor(values: Remembered[]): PatternSet<PatternRef> {
  const set = new PatternSet<PatternRef>();
  for (const value of values) for (const form of formsOf(value)) set.add({ text: form.text, boundary: form.boundary, ref: { value, form } });
  return set;
}

const nav = 'https://www.google.com/search?q=privacy+test';
const url: Remembered = { kind: 'url', value: 'https://news.example.org/a/b', browsedUrl: 'https://news.example.org/a/b', site: 'example.org', time: 0 };
const host: Remembered = { kind: 'host', value: 'news.example.org', browsedUrl: url.value, site: 'example.org', time: 0 };
const search: Remembered = { kind: 'search', value: 'privacy test', browsedUrl: nav, site: 'google.com', time: 0 };
const searchUrl: Remembered = { kind: 'url', value: nav, browsedUrl: nav, site: 'google.com', time: 0 };

describe('selectHits', () => {
  it('keeps the URL and drops the host inside it', () => {
    const hits = patternsFor([url, host]).scan('{"u":"https://news.example.org/a/b"}');
    expect(selectHits(hits).map((h) => [h.pattern.ref.value.kind, h.pattern.ref.form.form])).toEqual([['url', 'url']]);
  });

  it('keeps a host that stands apart from the URL', () => {
    const hits = patternsFor([url, host]).scan('https://news.example.org/a/b visited news.example.org');
    expect(selectHits(hits).map((h) => h.pattern.ref.value.kind)).toEqual(['url', 'host']);
  });

  it('drops the search term inside its result-page URL, keeps it in its own field', () => {
    const hits = patternsFor([search, searchUrl]).scan('https://www.google.com/search?q=privacy+test | privacy test');
    expect(selectHits(hits).map((h) => [h.pattern.ref.value.kind, h.start])).toEqual([['url', 0], ['search', 47]]);
  });

  it('keeps one hit per value, the plainest form', () => {
    const hits = patternsFor([url]).scan('https://news.example.org/a/b');
    expect(hits.length).toBeGreaterThan(1);
    expect(selectHits(hits).map((h) => h.pattern.ref.form.form)).toEqual(['url']);
  });
});
