/** A device's destinations (GET /api/devices/:id/traffic), summed by company or by country for the charts. */
export interface TrafficPeer {
  peer: string;
  name?: string;
  bytesOut: number;
  bytesIn: number;
  network?: { org?: string; owner?: string; country?: string; chinaLinked: boolean };
}

export interface TrafficGroup {
  label: string;
  bytes: number;
  chinaLinked: boolean;
  /** The names (or addresses) in this group, busiest first. */
  members: string[];
}

export function groupTraffic(peers: readonly TrafficPeer[], by: 'company' | 'country'): TrafficGroup[] {
  const groups = new Map<string, TrafficGroup & { sizes: Map<string, number> }>();
  for (const p of peers) {
    const label = by === 'company' ? (p.network?.owner ?? p.network?.org ?? 'unknown network') : (p.network?.country ?? 'unknown country');
    let g = groups.get(label);
    if (!g) groups.set(label, (g = { label, bytes: 0, chinaLinked: false, members: [], sizes: new Map() }));
    const size = p.bytesOut + p.bytesIn;
    g.bytes += size;
    g.chinaLinked ||= p.network?.chinaLinked ?? false;
    const member = p.name ?? p.peer;
    g.sizes.set(member, (g.sizes.get(member) ?? 0) + size);
  }
  return [...groups.values()]
    .map(({ sizes, ...g }) => ({ ...g, members: [...sizes.entries()].sort((a, b) => b[1] - a[1]).map(([m]) => m) }))
    .sort((a, b) => b.bytes - a.bytes || a.label.localeCompare(b.label));
}
