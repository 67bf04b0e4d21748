import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMacVendors } from '../../../appliance/src/intel/mac-vendors.js';
import { DeviceDirectory } from '../../../appliance/src/system/device-directory.js';
import { DeviceStore, openDatabase } from '../../../appliance/src/store/index.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-devices-'));
const vendors = loadMacVendors();
const NOW = 1_764_500_000_000;
const ARP_HEADER = 'IP address       HW type     Flags       HW address            Mask     Device\n';

function files(name: string, leases: string, arp: string) {
  const leaseFile = join(dir, `${name}.leases`);
  const neighbourFile = join(dir, `${name}.arp`);
  writeFileSync(leaseFile, leases);
  writeFileSync(neighbourFile, ARP_HEADER + arp);
  return { leaseFile, neighbourFile };
}

describe('the device directory (dnsmasq leases + neighbour table + IEEE vendors)', () => {
  it('names a DHCP client by MAC, with its DHCP name, and flags a randomised MAC', () => {
    const paths = files('dhcp', `${NOW / 1000 + 3600} da:a1:19:3c:4e:01 10.42.0.23 Redmi-Note-8 *\n`, '');
    const directory = new DeviceDirectory({ vendors, ...paths });
    expect(directory.identify('10.42.0.23', NOW)).toEqual({ id: 'da:a1:19:3c:4e:01', ip: '10.42.0.23', mac: 'da:a1:19:3c:4e:01', hostname: 'Redmi-Note-8', randomisedMac: true });
  });

  it('falls back to the neighbour table (static addresses), with the maker of a manufacturer MAC', () => {
    const paths = files('arp', '', '10.42.0.30       0x1         0x2         28:6c:07:12:34:56     *        wlan0\n');
    const directory = new DeviceDirectory({ vendors, ...paths });
    expect(directory.identify('10.42.0.30', NOW)).toEqual({ id: '28:6c:07:12:34:56', ip: '10.42.0.30', mac: '28:6c:07:12:34:56', randomisedMac: false, vendor: 'XIAOMI Electronics,CO.,LTD', vendorCountry: 'China' });
  });

  it('knows a client by IP when neither file has it (explicit proxy on a laptop), and ignores expired leases', () => {
    const paths = files('none', `${NOW / 1000 - 10} da:a1:19:3c:4e:02 10.42.0.40 old-phone *\n`, '');
    const directory = new DeviceDirectory({ vendors, ...paths });
    expect(directory.identify('10.42.0.40', NOW)).toEqual({ id: '10.42.0.40', ip: '10.42.0.40' });
    expect(new DeviceDirectory({ vendors, leaseFile: '' }).identify('127.0.0.1', NOW)).toEqual(expect.objectContaining({ id: '127.0.0.1' }));
  });

  it('sees a new lease once its answer is older than the refresh interval', () => {
    const paths = files('renew', '', '');
    const directory = new DeviceDirectory({ vendors, ...paths, refreshMs: 1000 });
    expect(directory.identify('10.42.0.50', NOW).id).toBe('10.42.0.50');
    writeFileSync(paths.leaseFile, `${NOW / 1000 + 3600} da:a1:19:3c:4e:03 10.42.0.50 Pixel-7 *\n`);
    utimesSync(paths.leaseFile, new Date(NOW + 5000), new Date(NOW + 5000));
    expect(directory.identify('10.42.0.50', NOW + 500).id).toBe('10.42.0.50');
    expect(directory.identify('10.42.0.50', NOW + 1500)).toEqual(expect.objectContaining({ id: 'da:a1:19:3c:4e:03', hostname: 'Pixel-7' }));
  });

  it('says once that a file cannot be read, and still answers', () => {
    const problems: string[] = [];
    const directory = new DeviceDirectory({ vendors, leaseFile: join(dir, 'missing.leases'), neighbourFile: join(dir, 'missing.arp'), refreshMs: 0, onProblem: (p) => problems.push(p) });
    directory.identify('10.42.0.60', NOW);
    directory.identify('10.42.0.60', NOW + 10_000);
    expect(problems).toEqual([
      expect.stringMatching(/^cannot read the DHCP lease file .*missing\.leases \(ENOENT\): devices get no DHCP names; check devices\.leaseFile$/),
      expect.stringMatching(/^cannot read the neighbour table .*missing\.arp \(ENOENT\)/),
    ]);
  });
});

describe('the devices table', () => {
  it('keeps a DHCP name and vendor once learnt, and the admin name wins for display', () => {
    const db = openDatabase(join(dir, 'store', 'leakwatch.db'));
    const devices = new DeviceStore(db);
    devices.record({ id: 'da:a1:19:3c:4e:01', ip: '10.42.0.23', mac: 'da:a1:19:3c:4e:01', hostname: 'Redmi-Note-8', randomisedMac: true }, NOW);
    devices.record({ id: 'da:a1:19:3c:4e:01', ip: '10.42.0.29', mac: 'da:a1:19:3c:4e:01', randomisedMac: true }, NOW + 60_000);
    devices.record({ id: '127.0.0.1', ip: '127.0.0.1' }, NOW);
    expect(devices.list()).toEqual([
      { id: 'da:a1:19:3c:4e:01', name: null, mac: 'da:a1:19:3c:4e:01', ip: '10.42.0.29', hostname: 'Redmi-Note-8', vendor: null, vendorCountry: null, randomisedMac: true, firstSeen: NOW, lastSeen: NOW + 60_000, alerts: 0, unread: 0 },
      { id: '127.0.0.1', name: null, mac: null, ip: '127.0.0.1', hostname: null, vendor: null, vendorCountry: null, randomisedMac: null, firstSeen: NOW, lastSeen: NOW, alerts: 0, unread: 0 },
    ]);
    expect(devices.displayName('da:a1:19:3c:4e:01')).toBe('Redmi-Note-8');
    expect(devices.rename('da:a1:19:3c:4e:01', "Lin's phone")).toBe(true);
    expect(devices.displayName('da:a1:19:3c:4e:01')).toBe("Lin's phone");
    expect(devices.rename('nope', 'x')).toBe(false);
    db.close();
  });
});
