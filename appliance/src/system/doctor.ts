import type { FirewallStatus } from './firewall.js';
import type { Health } from './health.js';

/** What `leakwatch doctor` found out about the machine; undefined where it could not ask. */
export interface DoctorProbes {
  now: number;
  transparent: boolean;
  hotspotInterface: string;
  pageAddress: string;
  /** `systemctl is-active` of each unit; undefined without systemd. */
  units: { leakwatch?: string; dnsmasq?: string; network?: string };
  /** NetworkManager's state of the leakwatch-hotspot connection ("activated" when up); undefined without nmcli. */
  hotspot?: string;
  /** Whether the page's address is on one of this machine's interfaces. */
  addressPresent: boolean;
  /** Phones with a live DHCP lease; undefined when there is no lease file. */
  clients?: number;
  firewall: FirewallStatus;
  forwarding?: boolean;
  /** The interface of the default route, when there is one. */
  uplink?: string;
  page: { ok: boolean; detail: string };
  ca: { notAfter: number } | { problem: string };
  disk?: { freeBytes: number; totalBytes: number };
  health?: Health;
}

export type DoctorStatus = 'pass' | 'fail' | 'warn' | 'unknown';

export interface DoctorLine {
  status: DoctorStatus;
  what: string;
  fix?: string;
}

const DAY = 24 * 3600 * 1000;
const RESTART = 'sudo systemctl restart leakwatch (then `journalctl -u leakwatch -n 50` says why, if it stops again)';

function unit(state: string | undefined, name: string, label: string, fix: string): DoctorLine {
  if (state === undefined) return { status: 'unknown', what: `${label}: systemd is not running here, so ${name} cannot be asked` };
  if (state === 'active') return { status: 'pass', what: `${label} (${name}) is running` };
  return { status: 'fail', what: `${label} (${name}) is ${state}`, fix };
}

/**
 * What a user runs when "the phone says no internet": each line what was found, and for each
 * problem what to do, in the order a phone needs them (Wi-Fi, address, DHCP, routing, the proxy).
 */
export function diagnose(p: DoctorProbes): DoctorLine[] {
  const lines: DoctorLine[] = [];
  lines.push(unit(p.units.leakwatch, 'leakwatch.service', 'the appliance', RESTART));
  if (p.transparent) {
    lines.push(p.hotspot === undefined
      ? { status: 'unknown', what: 'the hotspot: NetworkManager (nmcli) is not here to ask' }
      : p.hotspot === 'activated'
        ? { status: 'pass', what: `the hotspot (leakwatch-hotspot) is up on ${p.hotspotInterface}` }
        : { status: 'fail', what: `the hotspot (leakwatch-hotspot) is ${p.hotspot || 'not active'}`, fix: 'sudo nmcli connection up leakwatch-hotspot — if it fails: the Wi-Fi country (sudo raspi-config → Localisation → WLAN Country), rfkill (sudo rfkill unblock wifi), or the adapter busy as a Wi-Fi client' });
    lines.push(unit(p.units.dnsmasq, 'leakwatch-dnsmasq.service', "the hotspot's DHCP and DNS", 'sudo systemctl restart leakwatch-dnsmasq (`journalctl -u leakwatch-dnsmasq` says why it stopped; port 53 taken by another DNS server is common)'));
    lines.push(unit(p.units.network, 'leakwatch-network.service', "the hotspot's NAT and firewall", 'sudo systemctl restart leakwatch-network'));
  }
  lines.push(p.addressPresent
    ? { status: 'pass', what: `the page's address ${p.pageAddress} is on this machine` }
    : { status: p.transparent ? 'fail' : 'warn', what: `the page's address ${p.pageAddress} is not on any interface`, fix: p.transparent ? `bring the hotspot up (above); ${p.hotspotInterface} gets ${p.pageAddress} from it` : `set api.host to one of this machine's addresses` });
  if (p.clients !== undefined) lines.push({ status: p.clients > 0 ? 'pass' : 'warn', what: p.clients > 0 ? `${p.clients} phone${p.clients === 1 ? '' : 's'} on the hotspot (DHCP leases)` : 'no phone has an address from the hotspot yet', ...(p.clients > 0 ? {} : { fix: "join the hotspot's Wi-Fi from the phone (the installer printed its name and a QR code)" }) });
  if (p.transparent) {
    if (p.forwarding !== undefined) lines.push(p.forwarding ? { status: 'pass', what: 'IP forwarding is on' } : { status: 'fail', what: 'IP forwarding is off: phones get no internet', fix: 'sudo sysctl -p /etc/sysctl.d/90-leakwatch.conf' });
    lines.push(p.uplink ? { status: 'pass', what: `the uplink is ${p.uplink} (the default route)` } : { status: 'fail', what: 'no default route: the appliance itself has no internet, so neither do the phones', fix: 'plug in Ethernet, or connect the second Wi-Fi adapter to a network' });
    lines.push(...firewall(p.firewall, p.units.leakwatch));
  }
  lines.push(p.page.ok ? { status: 'pass', what: `the page answers at ${p.page.detail}` } : { status: 'fail', what: `the page does not answer: ${p.page.detail}`, fix: RESTART });
  if ('problem' in p.ca) lines.push({ status: 'fail', what: `the appliance CA: ${p.ca.problem}`, fix: 'start leakwatch once: it makes its CA in its data dir' });
  else {
    const left = Math.floor((p.ca.notAfter - p.now) / DAY);
    lines.push(left < 0 ? { status: 'fail', what: `the appliance CA expired ${-left} days ago`, fix: 'move <dataDir>/ca away, restart leakwatch, and install the new CA on the phones' }
      : left < 60 ? { status: 'warn', what: `the appliance CA expires in ${left} days`, fix: 'before then: move <dataDir>/ca away, restart leakwatch, and install the new CA on the phones' }
      : { status: 'pass', what: `the appliance CA is valid until ${new Date(p.ca.notAfter).toISOString().slice(0, 10)}` });
  }
  if (p.disk) {
    const freePercent = Math.round((p.disk.freeBytes / p.disk.totalBytes) * 100);
    lines.push(p.disk.freeBytes < 512 * 1024 * 1024 ? { status: 'fail', what: `only ${Math.round(p.disk.freeBytes / 1048576)} MB free for the data`, fix: 'lower retention.maxBytes in the Settings page, or free space on the SD card' }
      : { status: 'pass', what: `${Math.round(p.disk.freeBytes / 1048576)} MB free for the data (${freePercent} %)` });
  }
  const h = p.health;
  if (h?.cpu.temperatureC != null) lines.push(h.cpu.temperatureC >= 80 ? { status: 'warn', what: `the CPU is at ${h.cpu.temperatureC} °C (it slows itself down from 80 °C)`, fix: 'give the Pi air or a heatsink' } : { status: 'pass', what: `the CPU is at ${h.cpu.temperatureC} °C` });
  if (h?.throttled) lines.push(h.throttled.underVoltage || h.throttled.throttled ? { status: 'warn', what: `the Pi reports ${[h.throttled.underVoltage ? 'under-voltage' : '', h.throttled.throttled ? 'throttling' : ''].filter(Boolean).join(' and ')} (flags ${h.throttled.raw})`, fix: 'use the official power supply (5 V 3 A; 5 A for a Pi 5)' } : { status: 'pass', what: 'power is fine (no under-voltage, no throttling)' });
  return lines;
}

function firewall(f: FirewallStatus, service: string | undefined): DoctorLine[] {
  if (f.state === 'unreadable') return [{ status: 'unknown', what: `the firewall: ${f.reason}`, fix: 'run the doctor with sudo' }];
  if (f.state === 'missing') return [{ status: 'fail', what: f.reason, fix: 'sudo systemctl restart leakwatch-network' }];
  const r = f.rules;
  const lines: DoctorLine[] = [];
  lines.push(r.dropQuic.present && r.dropDnsOverTls.present
    ? { status: 'pass', what: `QUIC and DNS-over-TLS from the hotspot are dropped (${r.dropQuic.packets ?? 0} and ${r.dropDnsOverTls.packets ?? 0} packets so far)` }
    : { status: 'fail', what: 'the firewall table lacks its QUIC or DNS-over-TLS rule', fix: 'sudo systemctl restart leakwatch-network' });
  const redirected = r.redirectHttp.present && r.redirectHttps.present;
  if (redirected) lines.push({ status: 'pass', what: "the phones' web traffic is redirected to the proxy" });
  else if (service !== undefined && service !== 'active') lines.push({ status: 'warn', what: "the phones' web traffic is not redirected while leakwatch is down: they have internet, uninspected (fail open)", fix: RESTART });
  else lines.push({ status: 'fail', what: "the phones' web traffic is not redirected to the proxy: nothing is inspected", fix: RESTART });
  return lines;
}
