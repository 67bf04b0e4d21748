import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../appliance/src/system/doctor.js';
import type { DoctorProbes } from '../../../appliance/src/system/doctor.js';

const NOW = Date.parse('2026-12-04T12:00:00Z');
const RULES = { redirectHttp: { present: true, packets: null }, redirectHttps: { present: true, packets: null }, dropQuic: { present: true, packets: 3 }, dropDnsOverTls: { present: true, packets: 0 } };

function healthy(over: Partial<DoctorProbes> = {}): DoctorProbes {
  return {
    now: NOW, transparent: true, hotspotInterface: 'wlan0', pageAddress: '10.42.0.1',
    units: { leakwatch: 'active', dnsmasq: 'active', network: 'active' }, hotspot: 'activated', addressPresent: true, clients: 2,
    firewall: { state: 'loaded', rules: RULES }, forwarding: true, uplink: 'eth0', page: { ok: true, detail: 'http://10.42.0.1:80/' },
    ca: { notAfter: NOW + 3650 * 86400_000 }, disk: { freeBytes: 8e9, totalBytes: 32e9 },
    ...over,
  };
}

const failing = (p: DoctorProbes) => diagnose(p).filter((l) => l.status === 'fail').map((l) => l.what);

describe('leakwatch doctor', () => {
  it('passes every line of a healthy appliance', () => {
    const lines = diagnose(healthy());
    expect(lines).toHaveLength(13);
    expect(lines.filter((l) => l.status !== 'pass')).toEqual([]);
  });

  it('finds why a phone says "connected, no internet": forwarding off, no uplink, the hotspot down', () => {
    expect(failing(healthy({ forwarding: false }))).toEqual(['IP forwarding is off: phones get no internet']);
    expect(failing(healthy({ uplink: undefined }))).toEqual(['no default route: the appliance itself has no internet, so neither do the phones']);
    const down = diagnose(healthy({ hotspot: 'deactivating', addressPresent: false, clients: 0 }));
    expect(down.filter((l) => l.status === 'fail').map((l) => l.fix)).toEqual([expect.stringContaining('sudo nmcli connection up leakwatch-hotspot'), expect.stringContaining('bring the hotspot up')]);
  });

  it('tells a redirect removed while leakwatch is down (fail open) from one missing while it runs', () => {
    const noRedirect = { state: 'loaded' as const, rules: { ...RULES, redirectHttp: { present: false, packets: null }, redirectHttps: { present: false, packets: null } } };
    const down = diagnose(healthy({ units: { leakwatch: 'failed', dnsmasq: 'active', network: 'active' }, firewall: noRedirect, page: { ok: false, detail: 'connection refused' } }));
    expect(down.find((l) => l.what.includes('not redirected'))?.status).toBe('warn');
    expect(failing(healthy({ firewall: noRedirect }))).toEqual(["the phones' web traffic is not redirected to the proxy: nothing is inspected"]);
    expect(failing(healthy({ firewall: { state: 'missing', reason: 'gone' } }))).toEqual(['gone']);
  });

  it('warns before the CA expires, fails after, and says what cannot be asked instead of guessing', () => {
    expect(diagnose(healthy({ ca: { notAfter: NOW + 20 * 86400_000 } })).find((l) => l.what.includes('CA'))).toMatchObject({ status: 'warn', what: 'the appliance CA expires in 20 days' });
    expect(failing(healthy({ ca: { notAfter: NOW - 2 * 86400_000 } }))).toEqual(['the appliance CA expired 2 days ago']);
    const bare = diagnose(healthy({ units: {}, hotspot: undefined, firewall: { state: 'unreadable', reason: 'nft could not list the rules' } }));
    expect(bare.filter((l) => l.status === 'unknown').map((l) => l.what)).toEqual([
      'the appliance: systemd is not running here, so leakwatch.service cannot be asked',
      'the hotspot: NetworkManager (nmcli) is not here to ask',
      "the hotspot's DHCP and DNS: systemd is not running here, so leakwatch-dnsmasq.service cannot be asked",
      "the hotspot's NAT and firewall: systemd is not running here, so leakwatch-network.service cannot be asked",
      'the firewall: nft could not list the rules',
    ]);
  });

  it('warns of heat and under-voltage, and low disk fails', () => {
    const health = { time: '', uptimeSeconds: 1, cpu: { loadPercent: 50, temperatureC: 82.5 }, throttled: { raw: '0x50005', underVoltage: true, throttled: true }, memory: { totalBytes: 1, availableBytes: 1 }, disk: null, interfaces: [] };
    const lines = diagnose(healthy({ health, disk: { freeBytes: 100 * 1048576, totalBytes: 32e9 } }));
    expect(lines.filter((l) => l.status !== 'pass').map((l) => [l.status, l.what])).toEqual([
      ['fail', 'only 100 MB free for the data'],
      ['warn', 'the CPU is at 82.5 °C (it slows itself down from 80 °C)'],
      ['warn', 'the Pi reports under-voltage and throttling (flags 0x50005)'],
    ]);
  });
});
