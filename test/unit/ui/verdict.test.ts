import { describe, expect, it } from 'vitest';
import { receiverBars, verdictSentence } from '../../../ui/src/logic/verdict.js';

const NOW = Date.parse('2026-12-04T12:00:00Z');
const r = (company: string, country: string | null, chinaLinked: boolean, alerts = 1) => ({ company, country, chinaLinked, alerts });

describe('the verdict sentence', () => {
  it('counts companies and countries, says how many are china-linked, and when the last alert was', () => {
    const v = { alerts: 6, last: NOW - 5 * 60_000, receivers: [r('Xiaomi', 'SG', true, 3), r('Baidu', 'CN', true), r('Google LLC', 'US', false), r('Xiaomi', 'CN', true)] };
    expect(verdictSentence(v, NOW)).toBe('Your browsing went to 3 companies in 3 countries, 2 of them china-linked; last 5 minutes ago.');
  });

  it('names a single company and country instead of counting them', () => {
    expect(verdictSentence({ alerts: 2, last: NOW - 10_000, receivers: [r('Xiaomi', 'SG', true, 2)] }, NOW)).toBe('Your browsing went to Xiaomi in Singapore, china-linked; last just now.');
  });

  it('says when none of the receivers is china-linked, and leaves out countries it does not know', () => {
    expect(verdictSentence({ alerts: 2, last: NOW - 3 * 3600_000, receivers: [r('tracker.example', null, false), r('Google LLC', null, false)] }, NOW)).toBe('Your browsing went to 2 companies, none of them china-linked; last 3 hours ago.');
  });

  it('never claims "safe": with no alerts it says nothing was seen', () => {
    expect(verdictSentence({ alerts: 0, last: 0, receivers: [] }, NOW)).toBe('Your browsing has not been seen going to anyone else.');
  });
});

describe('receiver bars', () => {
  it('sums a company across countries, most alerts first, and folds the tail into "others" (china-linked if any is)', () => {
    const bars = receiverBars([r('A', 'SG', false, 5), r('A', 'US', true, 1), r('B', 'CN', false, 4), r('C', null, false, 3), r('D', null, true, 2), r('E', null, false, 1)], 4);
    expect(bars).toEqual([
      { label: 'A', value: 6, chinaLinked: true },
      { label: 'B', value: 4, chinaLinked: false },
      { label: 'C', value: 3, chinaLinked: false },
      { label: '2 others', value: 3, chinaLinked: true },
    ]);
  });
});
