import type { AttributionSources, NetworkAnswer, OwnerAnswer } from './attribute.js';
import { attribute } from './attribute.js';
import type { ChinaLinkPolicy, ChinaNetworkEntry } from './china-linked.js';
import { DomainOwners } from './domains.js';
import { parseIp } from './ip.js';
import type { IpDatabase } from './ip-database.js';
import { lookupDatabase } from './ip-database.js';
import type { OverlayDomain, ParsedOverlay } from './overlay.js';
import { findOverlayRange } from './overlay.js';
import type { DomainOwner, Intel } from './types.js';

/** Addresses whose answers are kept; the oldest is forgotten first. */
const REMEMBERED_ADDRESSES = 4096;

export interface IntelData {
  /** The compiled IP tables; without them only overlays answer IP lookups. */
  db?: IpDatabase;
  owners: readonly DomainOwner[];
  networks: readonly ChinaNetworkEntry[];
  /** `--intel` overlays in command-line order: a later file wins over an earlier one. */
  overlays?: readonly ParsedOverlay[];
  /** Which hosted-in reasons decide (default: mainland China, Hong Kong and Macau all do). */
  policy?: ChinaLinkPolicy;
}

/**
 * Builds the lookups from data already in memory. Pure: no file is touched here, so tests and the
 * detector can make one from literal tables. Overlay ranges win over the database (most specific
 * first), overlay domains over the curated owners.
 */
export function createIntel(data: IntelData): Intel {
  const overlays = [...(data.overlays ?? [])].reverse();
  // Stable sort: at equal prefix length the later file (now first) wins.
  const ranges = overlays.flatMap((o) => o.ranges).sort((a, b) => b.cidr.prefix - a.cidr.prefix);
  const overlayOwners = new DomainOwners<OverlayDomain>([...data.overlays ?? []].flatMap((o) => o.domains));
  const owners = new DomainOwners(data.owners);

  // A phone talks to a few hundred addresses over and over; the database is read from disk.
  const remembered = new Map<string, NetworkAnswer | undefined>();
  function network(ip: string): NetworkAnswer | undefined {
    if (remembered.has(ip)) return remembered.get(ip);
    const answer = lookUp(ip);
    if (remembered.size >= REMEMBERED_ADDRESSES) remembered.delete(remembered.keys().next().value!);
    remembered.set(ip, answer);
    return answer;
  }

  function lookUp(ip: string): NetworkAnswer | undefined {
    const parsed = parseIp(ip);
    if (!parsed) return undefined;
    const range = findOverlayRange(ranges, parsed);
    if (range) {
      const info = { ...(range.asn !== undefined ? { asn: range.asn } : {}), ...(range.org ? { org: range.org } : {}), ...(range.country ? { country: range.country } : {}) };
      return range.chinaLinked === undefined ? { info } : { info, forced: { chinaLinked: range.chinaLinked, by: range.origin } };
    }
    const info = data.db ? lookupDatabase(data.db, parsed) : undefined;
    return info ? { info } : undefined;
  }

  function owner(host: string): OwnerAnswer | undefined {
    const fromOverlay = overlayOwners.lookup(host);
    if (fromOverlay) {
      const { chinaLinked, origin, ...entry } = fromOverlay;
      return chinaLinked === undefined ? { owner: entry } : { owner: entry, forced: { chinaLinked, by: origin } };
    }
    const curated = owners.lookup(host);
    return curated ? { owner: curated } : undefined;
  }

  const sources: AttributionSources = { network, owner, networks: new Map(data.networks.map((n) => [n.asn, n])), ...(data.policy ? { policy: data.policy } : {}) };
  return {
    lookupIp: (ip) => network(ip)?.info,
    lookupDomain: (host) => owner(host)?.owner,
    attribute: (host, ip, port) => attribute(sources, host, ip, port),
  };
}
