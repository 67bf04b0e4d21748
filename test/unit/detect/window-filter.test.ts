import { describe, expect, it } from 'vitest';
import { WindowFilter, WindowProbe } from '../../../appliance/src/detect/window-filter.js';
import { prng } from '../../support/prng.js';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789:/._-%"{}= 新闻';

function randomText(random: () => number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return s;
}

const holds = (text: string, ...patterns: string[]) => new WindowFilter(text).mayHoldAny(new WindowProbe(patterns));

describe('WindowFilter', () => {
  it('never rules out a text that holds a pattern: every substring of every length passes', () => {
    const random = prng(7);
    for (let round = 0; round < 50; round++) {
      const text = randomText(random, 8 + Math.floor(random() * 3000));
      const filter = new WindowFilter(text);
      for (let k = 0; k < 40; k++) {
        const length = 2 + Math.floor(random() * Math.min(120, text.length - 2));
        const start = Math.floor(random() * (text.length - length + 1));
        const pattern = text.slice(start, start + length);
        expect(filter.mayHoldAny(new WindowProbe([pattern])), `${JSON.stringify(pattern)} in text ${round}`).toBe(true);
      }
    }
  });

  it('rules out almost every long pattern a text does not hold (a filter that passes everything would fail here)', () => {
    const random = prng(11);
    const text = randomText(random, 5000);
    const filter = new WindowFilter(text);
    let passed = 0;
    let absent = 0;
    for (let k = 0; k < 2000; k++) {
      const pattern = randomText(random, 8 + Math.floor(random() * 60));
      if (text.includes(pattern)) continue;
      absent++;
      if (filter.mayHoldAny(new WindowProbe([pattern]))) passed++;
    }
    expect(absent).toBeGreaterThan(1900);
    // Two bits per window and first and last windows both checked: about 0.02 % pass by chance.
    expect(passed / absent).toBeLessThan(0.01);
  });

  it('says yes when any one pattern of a page load is there, and no when none is', () => {
    const request = '{"event":"page_load","url":"https://www.bbc.com/news/123","title":"storm warning"}'.toLowerCase();
    expect(holds(request, 'https://www.dw.com/a/1', 'www.dw.com', 'https://www.bbc.com/news/123')).toBe(true);
    expect(holds(request, 'https://www.dw.com/a/1', 'www.dw.com', '5d41402abc4b2a76b9719d911017c592')).toBe(false);
  });

  it('checks short patterns (shorter than a window) exactly', () => {
    expect(holds('q=storm&tab=news', 'storm')).toBe(true);
    expect(holds('q=storm&tab=news', 'stork')).toBe(false);
    expect(holds('一条新闻', '新闻')).toBe(true);
    expect(holds('一条新闻', '六四')).toBe(false);
  });

  it('copes with texts shorter than a window and with the empty text', () => {
    expect(holds('short', 'https://example.org/page')).toBe(false);
    expect(holds('', 'https://example.org/page', 'ab')).toBe(false);
    expect(holds('exactly8', 'exactly8')).toBe(true);
    expect(new WindowFilter('').bytes).toBeGreaterThan(0);
  });

  it('grows with the text: about two bytes per character', () => {
    const small = new WindowFilter('x'.repeat(100)).bytes;
    const large = new WindowFilter('x'.repeat(100_000)).bytes;
    expect(large).toBeGreaterThanOrEqual(2 * (100_000 - 7));
    expect(large).toBeLessThanOrEqual(4 * 100_000);
    expect(small).toBeLessThan(large / 100);
  });
});
