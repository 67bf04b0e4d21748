import { describe, expect, it } from 'vitest';
import { bytes, countryName, duration, plural, timeAgo, timeUntil } from '../../../ui/src/logic/format.js';
import { passthroughReason } from '../../../ui/src/logic/passthrough.js';

describe('words for numbers', () => {
  it.each([
    [plural(1, 'request'), '1 request'], [plural(2, 'request'), '2 requests'], [plural(0, 'alert'), '0 alerts'],
    [plural(3, 'company', 'companies'), '3 companies'], [plural(1234, 'packet'), '1,234 packets'],
  ])('%s', (got, want) => expect(got).toBe(want));

  it.each([
    [10_000, 'just now'], [60_000, '1 minute ago'], [5 * 60_000, '5 minutes ago'], [3600_000, '1 hour ago'], [26 * 3600_000, '1 day ago'], [-5000, 'just now'],
  ])('%i ms ago is "%s"', (ago, want) => expect(timeAgo(1_000_000_000 - ago, 1_000_000_000)).toBe(want));

  it.each([
    [10_000, 'in under a minute'], [60_000, 'in 1 minute'], [30 * 60_000, 'in 30 minutes'], [2 * 3600_000, 'in 2 hours'], [49 * 3600_000, 'in 2 days'], [-5000, 'in under a minute'],
  ])('%i ms ahead is "%s"', (ahead, want) => expect(timeUntil(1_000_000_000 + ahead, 1_000_000_000)).toBe(want));

  it('says why a host is not inspected and when it is tried again, or that it is inspected again', () => {
    const now = 1_000_000_000;
    const host = { host: 'api.bank.example', count: 3, last: now - 1000 };
    expect(passthroughReason({ ...host, reason: 'certificate-rejected', until: now + 30 * 60_000 }, now)).toBe('an app refused the appliance certificate; tried again in 30 minutes');
    expect(passthroughReason({ ...host, reason: 'repeated-refusals', until: now + 3600_000 }, now)).toBe('an app hung up on the appliance certificate again and again; tried again in 1 hour');
    expect(passthroughReason({ ...host, reason: 'refused-after-accepting', until: now + 60_000 }, now)).toMatch(/^an app took the appliance certificate before and now refuses it .*; tried again in 1 minute$/);
    expect(passthroughReason({ ...host, reason: null, until: null }, now)).toBe('passed through earlier; inspected again now');
    expect(passthroughReason({ ...host, reason: 'certificate-rejected', until: now - 1 }, now)).toBe('passed through earlier; inspected again now');
  });

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
