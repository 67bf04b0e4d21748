import { normaliseMac } from '../intel/mac-address.js';

/**
 * The kernel's IPv4 neighbour table (`/proc/net/arp`): IP → MAC of every device the hotspot
 * talked to recently, including phones with a static address that never asked dnsmasq.
 * Incomplete entries (flags 0x0, MAC 00:00:00:00:00:00) are left out.
 */
export function parseProcNetArp(text: string): Map<string, string> {
  const table = new Map<string, string>();
  for (const line of text.split('\n').slice(1)) {
    const [ip, , flags, macField] = line.trim().split(/\s+/);
    const mac = macField ? normaliseMac(macField) : undefined;
    if (!ip || !mac || flags === '0x0' || mac === '00:00:00:00:00:00') continue;
    table.set(ip, mac);
  }
  return table;
}
