import { readFile } from 'node:fs/promises';
import { parseCidr } from './ip.js';
import type { Cidr } from './ip.js';
import type { DomainOwner, IntelOverlay, NetworkInfo } from './types.js';

/** An `--intel` range, parsed. */
export interface OverlayRange extends NetworkInfo {
  cidr: Cidr;
  chinaLinked?: boolean;
}

export interface ParsedOverlay {
  ranges: OverlayRange[];
  domains: (DomainOwner & { chinaLinked?: boolean })[];
}

export class IntelFileError extends Error {}

const COUNTRY = /^[A-Z]{2}$/;

/** Validates an overlay, naming the file and the bad entry in every message. */
export function parseOverlay(json: unknown, file: string): ParsedOverlay {
  const bad = (where: string, what: string) => new IntelFileError(`${file}: ${where} ${what}`);
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw bad('', 'must be a JSON object with "ranges" and/or "domains"');
  const { ranges = [], domains = [] } = json as IntelOverlay;
  if (!Array.isArray(ranges)) throw bad('"ranges"', 'must be an array');
  if (!Array.isArray(domains)) throw bad('"domains"', 'must be an array');
  const out: ParsedOverlay = { ranges: [], domains: [] };
  ranges.forEach((r, i) => {
    const at = `ranges[${i}]`;
    const cidr = typeof r?.cidr === 'string' ? parseCidr(r.cidr) : undefined;
    if (!cidr) throw bad(`${at}.cidr`, `${JSON.stringify(r?.cidr)} is not a valid CIDR (like "10.99.0.0/24" or "2001:db8::/32")`);
    if (r.asn !== undefined && (!Number.isInteger(r.asn) || r.asn < 0 || r.asn > 4294967295)) throw bad(`${at}.asn`, `${JSON.stringify(r.asn)} is not an AS number`);
    if (r.country !== undefined && (typeof r.country !== 'string' || !COUNTRY.test(r.country))) throw bad(`${at}.country`, `${JSON.stringify(r.country)} is not a two-letter country code like "SG"`);
    if (r.org !== undefined && typeof r.org !== 'string') throw bad(`${at}.org`, 'must be a string');
    if (r.chinaLinked !== undefined && typeof r.chinaLinked !== 'boolean') throw bad(`${at}.chinaLinked`, 'must be true or false');
    out.ranges.push({ cidr, ...(r.asn !== undefined ? { asn: r.asn } : {}), ...(r.org ? { org: r.org } : {}), ...(r.country ? { country: r.country } : {}), ...(r.chinaLinked !== undefined ? { chinaLinked: r.chinaLinked } : {}) });
  });
  domains.forEach((d, i) => {
    const at = `domains[${i}]`;
    if (typeof d?.domain !== 'string' || !/^[a-z0-9.-]+\.[a-z0-9-]+$/i.test(d.domain)) throw bad(`${at}.domain`, `${JSON.stringify(d?.domain)} is not a domain like "example.cn"`);
    if (typeof d.owner !== 'string' || d.owner === '') throw bad(`${at}.owner`, 'must name the owner');
    if (typeof d.country !== 'string' || !COUNTRY.test(d.country)) throw bad(`${at}.country`, `${JSON.stringify(d.country)} is not a two-letter country code like "CN"`);
    out.domains.push({ domain: d.domain.toLowerCase(), owner: d.owner, country: d.country, source: d.source ?? `--intel ${file}`, ...(d.chinaLinked !== undefined ? { chinaLinked: d.chinaLinked } : {}) });
  });
  // Most specific first, so a /28 inside a /24 wins.
  out.ranges.sort((a, b) => b.cidr.prefix - a.cidr.prefix);
  return out;
}

export async function readOverlay(file: string): Promise<ParsedOverlay> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new IntelFileError(`${file}: cannot read the --intel file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new IntelFileError(`${file}: the --intel file is not valid JSON (${(error as Error).message})`);
  }
  return parseOverlay(json, file);
}
