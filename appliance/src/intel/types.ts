import type { Attribution } from '../model/index.js';

/** What the offline IP database says about an address. */
export interface NetworkInfo {
  asn?: number;
  org?: string;
  country?: string;
}

/** A curated owner entry: a registrable domain (or a more specific host suffix) and who owns it. */
export interface DomainOwner {
  /** Registrable domain (`miui.com`) or full host suffix (`mistat.intl.xiaomi.com.edgesuite.net`). */
  domain: string;
  owner: string;
  /** ISO 3166-1 alpha-2 of the owner's home country. */
  country: string;
  source: string;
}

/**
 * Read-only attribution lookups. Pure once built: the detector gets one injected and never
 * touches the files it was built from.
 */
export interface Intel {
  lookupIp(ip: string): NetworkInfo | undefined;
  lookupDomain(host: string): DomainOwner | undefined;
  /** Everything known about a destination, and every reason it is china-linked. */
  attribute(host: string, ip: string | undefined, port: number): Attribution;
}

/** The `--intel FILE` overlay format of ARCHITECTURE.md. */
export interface IntelOverlay {
  ranges?: { cidr: string; asn?: number; org?: string; country?: string; chinaLinked?: boolean }[];
  domains?: { domain: string; owner: string; country: string; source?: string; chinaLinked?: boolean }[];
}
