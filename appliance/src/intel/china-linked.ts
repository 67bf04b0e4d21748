import type { DomainOwner, NetworkInfo } from './types.js';

/** A china-linked network from the curated list (data/china-networks.json). */
export interface ChinaNetworkEntry {
  asn: number;
  company: string;
  source: string;
  /** false when the registries' name for the ASN does not confirm the company (TELEMETRY-FACTS "UNVERIFIED"). */
  verified?: boolean;
  /** The organisation name the IP database gives this ASN, as a cross-check. */
  registeredAs?: string;
  note?: string;
}

/**
 * Organisation names of Chinese-owned clouds and carriers as the IP registries spell them. Tight
 * on purpose: each pattern names the company, so an unrelated "Ali" or "China" in a name does not
 * count (tested in test/unit/intel/china-linked.test.ts).
 */
const CHINESE_ORGS: readonly [RegExp, string][] = [
  [/\balibaba\b|\baliyun\b|\bhangzhou alibaba\b|\btaobao\b|\balipay\b/i, 'Alibaba'],
  [/\btencent\b/i, 'Tencent'],
  [/\bhuawei (?:cloud|clouds|international|technologies|tech)\b/i, 'Huawei'],
  [/\bbaidu\b/i, 'Baidu'],
  [/\bbytedance\b|\bvolcano engine\b|\btiktok pte\b/i, 'ByteDance'],
  [/\bkingsoft cloud\b|\bbjksc/i, 'Kingsoft Cloud'],
  [/\bucloud information technology\b/i, 'UCloud'],
  [/\bchinanet\b|\bchina telecom\b|\bctgnet\b/i, 'China Telecom'],
  [/\bchina unicom\b|\bchina169\b/i, 'China Unicom'],
  [/\bchina mobile\b|\bchina tietong\b/i, 'China Mobile'],
];

const CHINA_REGIONS = new Set(['CN', 'HK', 'MO']);

/** The Chinese company a registered organisation name belongs to, if the pattern list knows it. */
export function chineseCompanyOf(org: string): string | undefined {
  return CHINESE_ORGS.find(([pattern]) => pattern.test(org))?.[1];
}

/** An --intel overlay's verdict for a range or domain, and where it came from. */
export interface ForcedVerdict {
  chinaLinked: boolean;
  by: string;
}

export interface ChinaVerdict {
  chinaLinked: boolean;
  reasons: string[];
}

/**
 * China-linked when any rule applies: the network's ASN is on the list, its registered name is a
 * Chinese cloud or carrier, the IP geolocates to CN/HK/MO, or the domain's owner is Chinese.
 * Every rule that applied is a reason. Country alone misses Alibaba's and Tencent's international
 * networks (registered in the US and Singapore), which is why the network rules come first.
 * An overlay's forced verdict wins: `false` clears every reason, `true` adds one if none applied.
 */
export function chinaLinked(
  network: NetworkInfo | undefined,
  owner: DomainOwner | undefined,
  networks: ReadonlyMap<number, ChinaNetworkEntry>,
  forced?: ForcedVerdict,
): ChinaVerdict {
  if (forced?.chinaLinked === false) return { chinaLinked: false, reasons: [] };
  const reasons: string[] = [];
  const asName = network?.asn !== undefined ? `AS${network.asn}${network.org ? ` "${network.org}"` : ''}` : undefined;
  const listed = network?.asn !== undefined ? networks.get(network.asn) : undefined;
  if (listed) reasons.push(`network ${asName} belongs to ${listed.company} (china-linked networks list${listed.verified === false ? ', unverified entry' : ''})`);
  else if (network?.org) {
    const company = chineseCompanyOf(network.org);
    if (company) reasons.push(`network ${asName ?? `"${network.org}"`} is registered to ${company} (organisation name)`);
  }
  if (network?.country && CHINA_REGIONS.has(network.country)) reasons.push(`IP geolocates to ${network.country}`);
  if (owner && CHINA_REGIONS.has(owner.country)) reasons.push(`domain ${owner.domain} is owned by ${owner.owner} (${owner.country})`);
  if (forced?.chinaLinked === true && reasons.length === 0) reasons.push(`marked china-linked by ${forced.by}`);
  return { chinaLinked: reasons.length > 0, reasons };
}
