import { describe, expect, it } from 'vitest';
import { LocalAddresses } from '../../../appliance/src/system/local-addresses.js';

describe('LocalAddresses', () => {
  it('knows the machine by its addresses, IPv4-mapped too, and nothing for no address', () => {
    const own = new LocalAddresses(() => ['10.42.0.1', 'fe80::1']);
    expect(own.has('10.42.0.1', 0)).toBe(true);
    expect(own.has('::ffff:10.42.0.1', 0)).toBe(true);
    expect(own.has('fe80::1', 0)).toBe(true);
    expect(own.has('10.42.0.2', 0)).toBe(false);
    expect(own.has(undefined, 0)).toBe(false);
  });

  it('reads again when an address is not known, at most every 250 ms, so a hotspot that comes up late is seen', () => {
    let addresses = ['192.168.1.5'];
    let reads = 0;
    const own = new LocalAddresses(() => (reads++, addresses));
    expect(own.has('10.42.0.1', 0)).toBe(false);
    addresses = ['192.168.1.5', '10.42.0.1'];
    expect(own.has('10.42.0.1', 100)).toBe(false);
    expect(own.has('10.42.0.1', 400)).toBe(true);
    expect(reads).toBe(2);
    expect(own.has('10.42.0.1', 500)).toBe(true);
    expect(reads).toBe(2);
  });

  it('reads again every 5 s even when the address is known, so an address that went away is forgotten', () => {
    let addresses = ['10.42.0.1'];
    const own = new LocalAddresses(() => addresses);
    expect(own.has('10.42.0.1', 0)).toBe(true);
    addresses = [];
    expect(own.has('10.42.0.1', 4000)).toBe(true);
    expect(own.has('10.42.0.1', 5001)).toBe(false);
  });

  it('leaves loopback out when reading the real machine: local test servers of a laptop stay browsing', () => {
    expect(new LocalAddresses().has('127.0.0.1')).toBe(false);
  });
});
