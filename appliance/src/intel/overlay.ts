import { readFile } from 'node:fs/promises';
import { compareWords, parseCidr } from './ip.js';
import type { Cidr, ParsedIp } from './ip.js';
import type { DomainOwner, IntelOverlay, NetworkInfo } from './types.js';

/** An `--intel` range, parsed. */
export interface OverlayRange extends NetworkInfo {
  cidr: Cidr;
  /** Where it came from, for reasons: `--intel lab.json range 10.99.0.0/24`. */
  origin: string;
  chinaLinked?: boolean;
}

/** An `--intel` domain: an owner entry, optionally forcing the verdict. */
export type OverlayDomain = DomainOwner & { origin: string; chinaLinked?: boolean };

export interface ParsedOverlay {
  ranges: OverlayRange[];
  domains: OverlayDomain[];
}

export class IntelFileError extends Error {}

const COUNTRY = /^[A-Z]{2}$/;
const RANGE_KEYS = ['cidr', 'asn', 'org', 'country', 'chinaLinked'];
const DOMAIN_KEYS = ['domain', 'owner', 'country', 'source', 'chinaLinked'];

type Complaint = (where: string, what: string) => IntelFileError;

/** Validates an overlay, naming the file and the bad entry in every message. */
export function parseOverlay(json: unknown, file: string): ParsedOverlay {
  const bad: Complaint = (where, what) => new IntelFileError(`${file}: ${where ? `${where} ` : ''}${what}`);
  if (!isObject(json)) throw bad('', 'must be a JSON object with "ranges" and/or "domains"');
  const { ranges = [], domains = [] } = json as IntelOverlay;
  if (!Array.isArray(ranges)) throw bad('"ranges"', 'must be an array');
  if (!Array.isArray(domains)) throw bad('"domains"', 'must be an array');
  return {
    ranges: ranges.map((r, i) => parseRange(r, `ranges[${i}]`, file, bad)),
    domains: domains.map((d, i) => parseDomain(d, `domains[${i}]`, file, bad)),
  };
}

function parseRange(r: unknown, at: string, file: string, bad: Complaint): OverlayRange {
  checkKeys(r, RANGE_KEYS, at, '{"cidr": "10.99.0.0/24", "asn": 45102}', bad);
  const { cidr: text, asn, org, country, chinaLinked } = r as NonNullable<IntelOverlay['ranges']>[number];
  const cidr = typeof text === 'string' ? parseCidr(text) : undefined;
  if (!cidr) throw bad(`${at}.cidr`, `${JSON.stringify(text ?? null)} is not a valid CIDR (like "10.99.0.0/24" or "2001:db8::/32")`);
  if (asn !== undefined && (!Number.isInteger(asn) || asn < 0 || asn > 4294967295)) throw bad(`${at}.asn`, `${JSON.stringify(asn)} is not an AS number`);
  if (country !== undefined && (typeof country !== 'string' || !COUNTRY.test(country))) throw bad(`${at}.country`, `${JSON.stringify(country)} is not a two-letter country code like "SG"`);
  if (org !== undefined && typeof org !== 'string') throw bad(`${at}.org`, 'must be a string');
  if (chinaLinked !== undefined && typeof chinaLinked !== 'boolean') throw bad(`${at}.chinaLinked`, 'must be true or false');
  return {
    cidr,
    origin: `--intel ${file} range ${text}`,
    ...(asn !== undefined ? { asn } : {}),
    ...(org ? { org } : {}),
    ...(country ? { country } : {}),
    ...(chinaLinked !== undefined ? { chinaLinked } : {}),
  };
}

function parseDomain(d: unknown, at: string, file: string, bad: Complaint): OverlayDomain {
  checkKeys(d, DOMAIN_KEYS, at, '{"domain": "example.cn", "owner": "Example", "country": "CN"}', bad);
  const { domain, owner, country, source, chinaLinked } = d as NonNullable<IntelOverlay['domains']>[number];
  if (typeof domain !== 'string' || !/^[a-z0-9.-]+\.[a-z0-9-]+$/i.test(domain)) throw bad(`${at}.domain`, `${JSON.stringify(domain ?? null)} is not a domain like "example.cn"`);
  if (typeof owner !== 'string' || owner === '') throw bad(`${at}.owner`, 'must name the owner');
  if (typeof country !== 'string' || !COUNTRY.test(country)) throw bad(`${at}.country`, `${JSON.stringify(country ?? null)} is not a two-letter country code like "CN"`);
  if (source !== undefined && typeof source !== 'string') throw bad(`${at}.source`, 'must be a string');
  if (chinaLinked !== undefined && typeof chinaLinked !== 'boolean') throw bad(`${at}.chinaLinked`, 'must be true or false');
  const name = domain.toLowerCase();
  return {
    domain: name,
    owner,
    country,
    source: source ?? `--intel ${file}`,
    origin: `--intel ${file} domain ${name}`,
    ...(chinaLinked !== undefined ? { chinaLinked } : {}),
  };
}

/** Rejects non-objects and unknown (often misspelt) keys, which would otherwise be ignored silently. */
function checkKeys(entry: unknown, known: readonly string[], at: string, example: string, bad: Complaint): void {
  if (!isObject(entry)) throw bad(at, `must be an object like ${example}`);
  const unknown = Object.keys(entry).find((k) => !known.includes(k));
  if (unknown !== undefined) throw bad(at, `has an unknown key "${unknown}" (known: ${known.join(', ')})`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The most specific overlay range holding `ip`; `ranges` must be sorted most specific first. */
export function findOverlayRange(ranges: readonly OverlayRange[], ip: ParsedIp): OverlayRange | undefined {
  const words = ip.v === 4 ? [ip.n] : ip.words;
  return ranges.find((r) => r.cidr.v === ip.v && compareWords(r.cidr.first, words) <= 0 && compareWords(words, r.cidr.last) <= 0);
}

/** Reads and validates one `--intel FILE`; IntelFileError names the file and what is wrong. */
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
