import { describe, expect, it } from 'vitest';
import { isLocallyAdministered, isMulticastMac, normaliseMac } from '../../../appliance/src/intel/mac-address.js';
import { loadMacVendors, MacVendors } from '../../../appliance/src/intel/mac-vendors.js';

describe('MAC addresses', () => {
  it.each([
    ['28:6C:07:12:34:56', '28:6c:07:12:34:56'],
    ['28-6c-07-12-34-56', '28:6c:07:12:34:56'],
    ['286c.0712.3456', '28:6c:07:12:34:56'],
    ['286C07123456', '28:6c:07:12:34:56'],
  ])('normalises %s', (text, mac) => expect(normaliseMac(text)).toBe(mac));

  it.each(['', '28:6c:07:12:34', '28:6c:07:12:34:5g', 'not a mac', '28:6c:07:12:34:56:78'])('refuses %j', (text) => expect(normaliseMac(text)).toBeUndefined());

  it('tells randomised (locally administered) and group addresses by their first octet', () => {
    expect(isLocallyAdministered('da:a1:19:00:00:01')).toBe(true);
    expect(isLocallyAdministered('28:6c:07:00:00:01')).toBe(false);
    expect(isMulticastMac('01:00:5e:00:00:fb')).toBe(true);
    expect(isMulticastMac('28:6c:07:00:00:01')).toBe(false);
  });
});

describe('MAC vendors (IEEE registries from oui-data, built by npm run build)', () => {
  const vendors = loadMacVendors();

  it('holds the three IEEE registries', () => expect(vendors.size).toBeGreaterThan(50_000));

  it('names the maker and its country for a manufacturer-assigned MAC', () => {
    expect(vendors.lookup('28:6C:07:12:34:56')).toEqual({ randomised: false, vendor: 'XIAOMI Electronics,CO.,LTD', country: 'China' });
    expect(vendors.lookup('3c:5a:b4:00:00:01')).toEqual({ randomised: false, vendor: 'Google, Inc.', country: 'United States' });
  });

  it('prefers the longest assignment (MA-S inside a shared block) over the block owner', () => {
    expect(vendors.lookup('70:B3:D5:12:30:01')).toEqual({ randomised: false, vendor: 'Amfitech ApS', country: 'Denmark' });
  });

  it('names no maker for a randomised MAC, and nothing for an unassigned prefix or garbage', () => {
    expect(vendors.lookup('da:a1:19:00:00:01')).toEqual({ randomised: true });
    const empty = MacVendors.fromEntries([]);
    expect(empty.lookup('28:6c:07:12:34:56')).toEqual({ randomised: false });
    expect(vendors.lookup('garbage')).toEqual({ randomised: false });
  });
});
