import { describe, expect, it } from 'vitest';
import { parseDnsmasqLeases } from '../../../appliance/src/system/dhcp-leases.js';
import { parseProcNetArp } from '../../../appliance/src/system/neighbours.js';

describe("dnsmasq's lease file", () => {
  it('reads IPv4 leases with and without a DHCP name, and skips the DHCPv6 part', () => {
    const text = [
      '1764540000 da:a1:19:3c:4e:01 10.42.0.23 Redmi-Note-8 01:da:a1:19:3c:4e:01',
      '0 28:6C:07:12:34:56 10.42.0.24 * *',
      'duid 00:01:00:01:2c:aa:bb:cc:dd:ee:ff:00',
      '1764540000 1234567 fd00::23 phone 00:01:00:01',
      'garbage line',
      '',
    ].join('\n');
    expect(parseDnsmasqLeases(text)).toEqual([
      { ip: '10.42.0.23', mac: 'da:a1:19:3c:4e:01', hostname: 'Redmi-Note-8', expires: 1764540000000 },
      { ip: '10.42.0.24', mac: '28:6c:07:12:34:56', expires: 0 },
    ]);
  });
});

describe('the neighbour table (/proc/net/arp)', () => {
  it('maps IPs to MACs and leaves out incomplete entries', () => {
    const text = [
      'IP address       HW type     Flags       HW address            Mask     Device',
      '10.42.0.23       0x1         0x2         da:a1:19:3c:4e:01     *        wlan0',
      '10.42.0.99       0x1         0x0         00:00:00:00:00:00     *        wlan0',
      '192.168.1.1      0x1         0x2         3C:5A:B4:00:00:01     *        eth0',
    ].join('\n');
    expect([...parseProcNetArp(text)]).toEqual([['10.42.0.23', 'da:a1:19:3c:4e:01'], ['192.168.1.1', '3c:5a:b4:00:00:01']]);
  });
});
