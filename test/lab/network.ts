/**
 * The lab's wiring: three namespaces, the "hotspot" veth (phone ↔ appliance) and the "uplink" veth
 * (appliance ↔ internet), addresses, forwarding in the appliance, and the project's nftables ruleset.
 * The internet namespace gets no default route: its only neighbour is the appliance.
 */
import { run } from './host.js';
import { ADDR, IFACES } from './topology.js';
import type { Host } from './topology.js';

/**
 * Creates the namespaces and links. Throws on the first failing step; the caller cleans up.
 * `bridgedHotspot`: the hotspot is a bridge (as hostapd's `bridge=` or Docker on the Pi make it),
 * named like the plain hotspot interface so every rendered file stays the same, with the veth as its
 * port and bridged IPv4 passed through netfilter (br_netfilter's bridge-nf-call-iptables).
 */
export function buildNetwork(ns: Record<Host, string>, options: { bridgedHotspot?: boolean } = {}): void {
  const inside = (host: Host, ...args: string[]) => run('ip', ['-n', ns[host], ...args]);
  for (const name of Object.values(ns)) run('ip', ['netns', 'add', name]);
  // Both ends of each veth are created directly inside lab namespaces: nothing appears on the host.
  const hotspotPort = options.bridgedHotspot ? `${IFACES.applianceHotspot}p` : IFACES.applianceHotspot;
  run('ip', ['link', 'add', 'name', hotspotPort, 'netns', ns.appliance, 'type', 'veth', 'peer', 'name', IFACES.phone, 'netns', ns.phone]);
  if (options.bridgedHotspot) {
    inside('appliance', 'link', 'add', IFACES.applianceHotspot, 'type', 'bridge');
    inside('appliance', 'link', 'set', hotspotPort, 'master', IFACES.applianceHotspot);
    inside('appliance', 'link', 'set', hotspotPort, 'up');
    run('ip', ['netns', 'exec', ns.appliance, 'sysctl', '-qw', 'net.bridge.bridge-nf-call-iptables=1']);
  }
  run('ip', ['link', 'add', 'name', IFACES.applianceUplink, 'netns', ns.appliance, 'type', 'veth', 'peer', 'name', IFACES.internet, 'netns', ns.internet]);
  inside('appliance', 'addr', 'add', `${ADDR.applianceHotspot}/24`, 'dev', IFACES.applianceHotspot);
  inside('appliance', 'addr', 'add', `${ADDR.applianceUplink}/24`, 'dev', IFACES.applianceUplink);
  inside('appliance', 'addr', 'add', `${ADDR.applianceUplinkCdn}/24`, 'dev', IFACES.applianceUplink);
  for (const ip of [ADDR.news, ADDR.telemetry, ADDR.untrusted]) inside('internet', 'addr', 'add', `${ip}/24`, 'dev', IFACES.internet);
  for (const [host, dev] of [['phone', 'lo'], ['appliance', 'lo'], ['internet', 'lo'], ['appliance', IFACES.applianceHotspot], ['appliance', IFACES.applianceUplink], ['phone', IFACES.phone], ['internet', IFACES.internet]] as const) {
    inside(host, 'link', 'set', dev, 'up');
  }
  run('ip', ['netns', 'exec', ns.appliance, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
}

/** `nft -f` inside the appliance namespace: what the Pi's units run (leakwatch-network.service, and leakwatch.service once ready). */
export function loadRuleset(applianceNs: string, file: string): void {
  run('ip', ['netns', 'exec', applianceNs, 'nft', '-f', file]);
}
