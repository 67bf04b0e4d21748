import { normaliseMac } from '../intel/mac-address.js';

export interface DhcpLease {
  ip: string;
  mac: string;
  /** The name the device sent in its DHCP request (option 12); absent when it sent none. */
  hostname?: string;
  /** Epoch ms the lease ends; 0 for an infinite lease. */
  expires: number;
}

/**
 * dnsmasq's lease file (`dhcp-leasefile`): one IPv4 lease per line,
 * `<expiry epoch s> <mac> <ip> <hostname|*> <client-id|*>`. DHCPv6 leases (after the `duid`
 * line) carry no MAC and are skipped: the hotspot hands out IPv4 only.
 */
export function parseDnsmasqLeases(text: string): DhcpLease[] {
  const leases: DhcpLease[] = [];
  for (const line of text.split('\n')) {
    const [expiry, macField, ip, hostname] = line.trim().split(/\s+/);
    const mac = macField ? normaliseMac(macField) : undefined;
    if (!mac || !ip || !/^\d+$/.test(expiry ?? '') || !ip.includes('.')) continue;
    const lease: DhcpLease = { ip, mac, expires: Number(expiry) * 1000 };
    if (hostname && hostname !== '*') lease.hostname = hostname;
    leases.push(lease);
  }
  return leases;
}
