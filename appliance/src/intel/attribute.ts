import type { Attribution } from '../model/index.js';
import type { ChinaLinkPolicy, ChinaNetworkEntry } from './china-linked.js';
import { chinaLinked } from './china-linked.js';
import { parseIp } from './ip.js';
import { registrableDomain } from './registrable-domain.js';
import type { DomainOwner, NetworkInfo } from './types.js';

/** A network answer, with an overlay's forced verdict when one applies. */
export interface NetworkAnswer {
  info: NetworkInfo;
  forced?: { chinaLinked: boolean; by: string };
}

/** A domain answer, with an overlay's forced verdict when one applies. */
export interface OwnerAnswer {
  owner: DomainOwner;
  forced?: { chinaLinked: boolean; by: string };
}

/** The lookups attribution draws on; createIntel wires them to the database, lists and overlays. */
export interface AttributionSources {
  network(ip: string): NetworkAnswer | undefined;
  owner(host: string): OwnerAnswer | undefined;
  networks: ReadonlyMap<number, ChinaNetworkEntry>;
  policy?: ChinaLinkPolicy;
}

/**
 * Everything known about a destination. A host that is an IP literal stands for its own address
 * when no separate IP is given; without any address the attribution rests on the domain alone.
 * A range's forced verdict beats a domain's, because the address is where the data goes.
 */
export function attribute(sources: AttributionSources, host: string, ip: string | undefined, port: number): Attribution {
  const hostIsIp = parseIp(host) !== undefined;
  const address = ip ?? (hostIsIp ? host : undefined);
  const net = address !== undefined ? sources.network(address) : undefined;
  const own = hostIsIp ? undefined : sources.owner(host);
  const verdict = chinaLinked(net?.info, own?.owner, sources.networks, net?.forced ?? own?.forced, sources.policy);
  const result: Attribution = { host, port, chinaLinked: verdict.chinaLinked, reasons: verdict.reasons };
  if (verdict.link) result.chinaLink = verdict.link;
  if (address !== undefined) result.ip = address;
  if (net?.info.asn !== undefined) result.asn = net.info.asn;
  if (net?.info.org) result.org = net.info.org;
  if (net?.info.country) result.country = net.info.country;
  if (own) {
    result.owner = own.owner.owner;
    result.ownerCountry = own.owner.country;
  }
  const site = registrableDomain(host);
  if (site) result.registrableDomain = site;
  return result;
}
