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
const REGION_NAMES: Record<string, string> = { CN: 'mainland China', HK: 'Hong Kong', MO: 'Macau' };

/**
 * Two kinds of reason. *owned by*: the network or the domain belongs to a Chinese company (or an
 * overlay says so). *hosted in*: the address block is registered in CN, HK or MO — a registry's
 * country, which is where the block's holder registered it, not where the server stands: a US
 * company's Hong Kong cloud region is "hosted in" HK and owned by no Chinese company.
 */
export type ChinaLinkKind = 'owned-by' | 'hosted-in';

/** Which *hosted in* reasons decide on their own (owned-by always does). */
export interface ChinaLinkPolicy {
  hostedInMainlandChina: boolean;
  hostedInHongKongMacau: boolean;
}

export const DEFAULT_CHINA_LINK_POLICY: ChinaLinkPolicy = { hostedInMainlandChina: true, hostedInHongKongMacau: true };

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
  /** The strongest kind of reason that decided: owned-by when any did. */
  link?: ChinaLinkKind;
  /** Every reason that decided, each starting with its kind ("owned by: …", "hosted in: …"). */
  reasons: string[];
}

/**
 * China-linked when an owned-by reason applies (the network's ASN is on the list, its registered
 * name is a Chinese cloud or carrier, the domain's owner is Chinese, an overlay marks it), or a
 * hosted-in reason the policy counts (the address block is registered in mainland China; in Hong
 * Kong or Macau). Country alone misses Alibaba's and Tencent's international networks (registered
 * in the US and Singapore), which is why the ownership rules come first; and it accuses foreign
 * clouds' Hong Kong regions, which is why it is labelled and configurable.
 * An overlay's forced verdict wins: `false` clears every reason, `true` adds one if none applied.
 */
export function chinaLinked(
  network: NetworkInfo | undefined,
  owner: DomainOwner | undefined,
  networks: ReadonlyMap<number, ChinaNetworkEntry>,
  forced?: ForcedVerdict,
  policy: ChinaLinkPolicy = DEFAULT_CHINA_LINK_POLICY,
): ChinaVerdict {
  if (forced?.chinaLinked === false) return { chinaLinked: false, reasons: [] };
  const ownedBy: string[] = [];
  const asName = network?.asn !== undefined ? `AS${network.asn}${network.org ? ` "${network.org}"` : ''}` : undefined;
  const listed = network?.asn !== undefined ? networks.get(network.asn) : undefined;
  if (listed) ownedBy.push(`network ${asName} belongs to ${listed.company} (china-linked networks list${listed.verified === false ? ', unverified entry' : ''})`);
  else if (network?.org) {
    const company = chineseCompanyOf(network.org);
    if (company) ownedBy.push(`network ${asName ?? `"${network.org}"`} is registered to ${company} (organisation name)`);
  }
  if (owner && CHINA_REGIONS.has(owner.country)) ownedBy.push(`domain ${owner.domain} is owned by ${owner.owner} (${owner.country})`);
  const hostedIn: string[] = [];
  const region = network?.country;
  if (region && CHINA_REGIONS.has(region) && (region === 'CN' ? policy.hostedInMainlandChina : policy.hostedInHongKongMacau)) {
    hostedIn.push(`the address block is registered in ${region} (${REGION_NAMES[region]}): the registries' country for the block, not a measured location`);
  }
  if (forced?.chinaLinked === true && ownedBy.length === 0 && hostedIn.length === 0) ownedBy.push(`marked china-linked by ${forced.by}`);
  const reasons = [...ownedBy.map((r) => `owned by: ${r}`), ...hostedIn.map((r) => `hosted in: ${r}`)];
  if (reasons.length === 0) return { chinaLinked: false, reasons };
  return { chinaLinked: true, link: ownedBy.length > 0 ? 'owned-by' : 'hosted-in', reasons };
}
