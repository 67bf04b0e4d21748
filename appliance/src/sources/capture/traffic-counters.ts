import type { FrameParties } from './ethernet-frame.js';

export interface PeerTraffic {
  peer: string;
  /** What DNS answers named the peer, when the device looked it up. */
  name?: string;
  bytesOut: number;
  bytesIn: number;
  packetsOut: number;
  packetsIn: number;
  /** TCP ports the device opened connections to, in the order first seen. */
  tcpPorts: number[];
  /** Connection attempts to TCP 853: DNS-over-TLS, which the hotspot blocks so phones use its DNS. */
  dnsOverTlsAttempts: number;
  /** UDP packets to port 443: QUIC, which the hotspot drops so apps fall back to TCP (and the proxy). */
  quicPackets: number;
  /** UDP packets to port 53: plain DNS queries to this address (the hotspot's own resolver, or one the phone chose). */
  dnsPackets: number;
  firstSeen: number;
  lastSeen: number;
}

const DNS_OVER_TLS_PORT = 853;
const QUIC_PORT = 443;
const DNS_PORT = 53;

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
    if (!t) peers.set(parties.peer, (t = { peer: parties.peer, bytesOut: 0, bytesIn: 0, packetsOut: 0, packetsIn: 0, tcpPorts: [], dnsOverTlsAttempts: 0, quicPackets: 0, dnsPackets: 0, firstSeen: timeMs, lastSeen: timeMs }));
    if (parties.opensTcpPort !== undefined) {
      if (!t.tcpPorts.includes(parties.opensTcpPort)) t.tcpPorts.push(parties.opensTcpPort);
      if (parties.opensTcpPort === DNS_OVER_TLS_PORT) t.dnsOverTlsAttempts++;
    }
    if (parties.sendsUdpPort === QUIC_PORT) t.quicPackets++;
    else if (parties.sendsUdpPort === DNS_PORT) t.dnsPackets++;
    if (parties.direction === 'from-device') {
      t.bytesOut += bytes;
      t.packetsOut++;
    } else {
      t.bytesIn += bytes;
      t.packetsIn++;
    }
    t.lastSeen = Math.max(t.lastSeen, timeMs);
  }

  /** Every device counted so far. */
  deviceIds(): string[] {
    return [...this.devices.keys()];
  }

  /** The device's destinations, most bytes first, named by `nameOf` where DNS named them. */
  of(device: string, nameOf: (ip: string) => string | undefined = () => undefined): PeerTraffic[] {
    return [...(this.devices.get(device)?.values() ?? [])]
      .map((t) => {
        const name = nameOf(t.peer);
        return name ? { ...t, tcpPorts: [...t.tcpPorts], name } : { ...t, tcpPorts: [...t.tcpPorts] };
      })
      .sort((a, b) => b.bytesOut + b.bytesIn - (a.bytesOut + a.bytesIn));
  }
}
