import type { Attribution } from '../model/index.js';
import type { ChinaNetworkEntry } from './china-linked.js';
import { chinaLinked } from './china-linked.js';
import { DomainOwners } from './domains.js';
import { compareWords, parseIp } from './ip.js';
import type { RangeTable } from './ip-table.js';
import type { OverlayRange, ParsedOverlay } from './overlay.js';
import { registrableDomain } from './registrable-domain.js';
import type { DomainOwner, Intel, NetworkInfo } from './types.js';

/** The offline IP database, as loaded tables. Absent tables mean "unknown", not an error. */
export interface IpDatabase {
  v4Asn?: RangeTable;
  v6Asn?: RangeTable;
  v4Country?: RangeTable;
  v6Country?: RangeTable;
  /** Pairs of (asn, org index) per record. */
  records: Uint32Array;
  orgs: readonly string[];
  countries: readonly string[];
}

export interface IntelData {
  db?: IpDatabase;
  owners: readonly DomainOwner[];
  networks: readonly ChinaNetworkEntry[];
  overlays?: readonly ParsedOverlay[];
}

interface NetworkLookup {
  info: NetworkInfo;
  forced?: boolean;
}

/** Builds the lookups from loaded data. Pure: no file is touched here. */
export function createIntel(data: IntelData): Intel {
  const overlays = data.overlays ?? [];
  const ranges: OverlayRange[] = overlays.flatMap((o) => o.ranges).sort((a, b) => b.cidr.prefix - a.cidr.prefix);
  const overlayOwners = new DomainOwners(overlays.flatMap((o) => o.domains));
  const overlayForced = new Map(overlays.flatMap((o) => o.domains).filter((d) => d.chinaLinked !== undefined).map((d) => [d.domain, d.chinaLinked!]));
  const owners = new DomainOwners(data.owners);
  const networks = new Map(data.networks.map((n) => [n.asn, n]));

  function network(ip: string): NetworkLookup | undefined {
    const parsed = parseIp(ip);
    if (!parsed) return undefined;
    const words = parsed.v === 4 ? [parsed.n] : parsed.words;
    for (const r of ranges) {
      if (r.cidr.v !== parsed.v) continue;
      if (compareWords(r.cidr.first, words) <= 0 && compareWords(words, r.cidr.last) <= 0) {
        const info: NetworkInfo = {};
        if (r.asn !== undefined) info.asn = r.asn;
        if (r.org !== undefined) info.org = r.org;
        if (r.country !== undefined) info.country = r.country;
        return r.chinaLinked === undefined ? { info } : { info, forced: r.chinaLinked };
      }
    }
    const db = data.db;
    if (!db) return undefined;
    const asnTable = parsed.v === 4 ? db.v4Asn : db.v6Asn;
    const countryTable = parsed.v === 4 ? db.v4Country : db.v6Country;
    const info: NetworkInfo = {};
    const record = asnTable?.find(words) ?? -1;
    if (record >= 0) {
      info.asn = db.records[record * 2]!;
      const org = db.orgs[db.records[record * 2 + 1]!];
      if (org) info.org = org;
    }
    const country = countryTable?.find(words) ?? -1;
    if (country >= 0 && db.countries[country]) info.country = db.countries[country];
    return Object.keys(info).length > 0 ? { info } : undefined;
  }

  function owner(host: string): DomainOwner | undefined {
    return overlayOwners.lookup(host) ?? owners.lookup(host);
  }

  return {
    lookupIp: (ip) => network(ip)?.info,
    lookupDomain: owner,
    attribute(host, ip, port): Attribution {
      const address = ip ?? (parseIp(host) ? host : undefined);
      const net = address ? network(address) : undefined;
      const own = parseIp(host) ? undefined : owner(host);
      const forcedByDomain = own ? overlayForced.get(own.domain) : undefined;
      const verdict = chinaLinked(net?.info, own, networks, net?.forced ?? forcedByDomain);
      const a: Attribution = { host, port, chinaLinked: verdict.chinaLinked, reasons: verdict.reasons };
      if (address) a.ip = address;
      if (net?.info.asn !== undefined) a.asn = net.info.asn;
      if (net?.info.org) a.org = net.info.org;
      if (net?.info.country) a.country = net.info.country;
      if (own) {
        a.owner = own.owner;
        a.ownerCountry = own.country;
      }
      const site = registrableDomain(host);
      if (site) a.registrableDomain = site;
      return a;
    },
  };
}
