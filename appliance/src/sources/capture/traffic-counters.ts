import type { FrameParties } from './ethernet-frame.js';

export interface PeerTraffic {
  peer: string;
  /** What DNS answers named the peer, when the device looked it up. */
  name?: string;
  bytesOut: number;
  bytesIn: number;
  packetsOut: number;
  packetsIn: number;
  firstSeen: number;
  lastSeen: number;
}

/**
 * Bytes per device and destination, from every captured frame: what a phone talks to, including
 * what the proxy never sees (QUIC attempts, DNS, pinned connections, other ports).
 */
export class TrafficCounters {
  private readonly devices = new Map<string, Map<string, PeerTraffic>>();

  add(parties: FrameParties, bytes: number, timeMs: number): void {
    if (!parties.peer) return;
    let peers = this.devices.get(parties.device);
    if (!peers) this.devices.set(parties.device, (peers = new Map()));
    let t = peers.get(parties.peer);
    if (!t) peers.set(parties.peer, (t = { peer: parties.peer, bytesOut: 0, bytesIn: 0, packetsOut: 0, packetsIn: 0, firstSeen: timeMs, lastSeen: timeMs }));
    if (parties.direction === 'from-device') {
      t.bytesOut += bytes;
      t.packetsOut++;
    } else {
      t.bytesIn += bytes;
      t.packetsIn++;
    }
    t.lastSeen = Math.max(t.lastSeen, timeMs);
  }

  /** The device's destinations, most bytes first, named by `nameOf` where DNS named them. */
  of(device: string, nameOf: (ip: string) => string | undefined = () => undefined): PeerTraffic[] {
    return [...(this.devices.get(device)?.values() ?? [])]
      .map((t) => {
        const name = nameOf(t.peer);
        return name ? { ...t, name } : { ...t };
      })
      .sort((a, b) => b.bytesOut + b.bytesIn - (a.bytesOut + a.bytesIn));
  }
}
