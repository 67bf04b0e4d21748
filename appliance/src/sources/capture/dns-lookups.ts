import type { DnsMessage } from '../packets/dns.js';

export interface DnsLookup {
  /** The name the device asked for. */
  name: string;
  /** Addresses the answers gave, in the order first seen. */
  addresses: string[];
  count: number;
  firstSeen: number;
  lastSeen: number;
}

/** Names remembered per device, at most; the least recently asked are forgotten first. */
const MAX_NAMES_PER_DEVICE = 2000;

/**
 * The names each device looked up, from the DNS answers the hotspot's resolver sent it: what an
 * app contacted even when its connection was pinned, passed through, or never made.
 */
export class DnsLookups {
  private readonly devices = new Map<string, Map<string, DnsLookup>>();

  add(device: string, message: DnsMessage, time: number): void {
    const name = message.questions[0];
    if (!name) return;
    let names = this.devices.get(device);
    if (!names) this.devices.set(device, (names = new Map()));
    let lookup = names.get(name);
    if (lookup) names.delete(name);
    else lookup = { name, addresses: [], count: 0, firstSeen: time, lastSeen: time };
    names.set(name, lookup);
    lookup.count++;
    lookup.lastSeen = Math.max(lookup.lastSeen, time);
    for (const { ip } of message.addresses) if (!lookup.addresses.includes(ip)) lookup.addresses.push(ip);
    if (names.size > MAX_NAMES_PER_DEVICE) names.delete(names.keys().next().value!);
  }

  /** Most recently asked first. */
  of(device: string): DnsLookup[] {
    return [...(this.devices.get(device)?.values() ?? [])].reverse().map((l) => ({ ...l, addresses: [...l.addresses] }));
  }
}
