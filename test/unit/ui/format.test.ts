import { describe, expect, it } from 'vitest';
import { bytes, countryName, duration, plural, timeAgo } from '../../../ui/src/logic/format.js';

describe('words for numbers', () => {
  it.each([
    [plural(1, 'request'), '1 request'], [plural(2, 'request'), '2 requests'], [plural(0, 'alert'), '0 alerts'],
    [plural(3, 'company', 'companies'), '3 companies'], [plural(1234, 'packet'), '1,234 packets'],
  ])('%s', (got, want) => expect(got).toBe(want));

  it.each([
    [10_000, 'just now'], [60_000, '1 minute ago'], [5 * 60_000, '5 minutes ago'], [3600_000, '1 hour ago'], [26 * 3600_000, '1 day ago'], [-5000, 'just now'],
  ])('%i ms ago is "%s"', (ago, want) => expect(timeAgo(1_000_000_000 - ago, 1_000_000_000)).toBe(want));

  it.each([[512, '512 B'], [1536, '1.5 KB'], [1024 * 1024 * 1024, '1 GB'], [250 * 1024 * 1024, '250 MB']])('%i bytes is %s', (n, want) => expect(bytes(n)).toBe(want));

  it('gives durations and country names a person reads', () => {
    expect(duration(93_784)).toBe('1 day 2 hours');
    expect(duration(3_720)).toBe('1 hour 2 minutes');
    expect(duration(59)).toBe('0 minutes');
    expect(countryName('SG')).toBe('Singapore');
    expect(countryName(null)).toBe('an unknown country');
    expect(countryName('not a code')).toBe('not a code');
  });
});
