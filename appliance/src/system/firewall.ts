import { execFile } from 'node:child_process';

/** The rules of provisioning/nftables/leakwatch.nft and leakwatch-redirect.nft, by the comment each carries. */
export const FIREWALL_RULES = {
  redirectHttp: 'hotspot HTTP to the proxy',
  redirectHttps: 'hotspot HTTPS to the proxy',
  dropQuic: 'no QUIC from the hotspot',
  dropDnsOverTls: 'no DNS-over-TLS from the hotspot',
} as const;

export type FirewallRule = keyof typeof FIREWALL_RULES;

export type FirewallStatus =
  /** leakwatch's base table is loaded; the redirect rules are there only while leakwatch is ready. */
  | { state: 'loaded'; rules: Record<FirewallRule, { present: boolean; packets: number | null }> }
  /** nft answered: leakwatch's tables are not there (provisioning never ran, or they were removed). */
  | { state: 'missing'; reason: string }
  /** nft could not be asked (not installed, or no CAP_NET_ADMIN). */
  | { state: 'unreadable'; reason: string };

interface NftItem {
  table?: { family: string; name: string };
  rule?: { family: string; table: string; comment?: string; expr?: { counter?: { packets: number } }[] };
}

const TABLES = new Set(['leakwatch', 'leakwatch_redirect']);
const MISSING = "leakwatch's firewall table (inet leakwatch) is not loaded: phones are not routed or protected as they should be; `sudo systemctl restart leakwatch-network` loads it";

/** Reads leakwatch's nftables tables: which of their rules are loaded, and their packet counters. */
export function firewallStatus(): Promise<FirewallStatus> {
  return new Promise((resolve) => {
    execFile('nft', ['-j', 'list', 'ruleset'], { timeout: 3000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        const text = `${stderr}`.trim() || error.message;
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return resolve({ state: 'unreadable', reason: 'nft is not installed (apt-get install nftables)' });
        return resolve({ state: 'unreadable', reason: `nft could not list the rules (${text.split('\n')[0]}); leakwatch needs CAP_NET_ADMIN for this` });
      }
      resolve(parseRules(stdout));
    });
  });
}

/** What `nft -j list ruleset` printed, as the status of leakwatch's tables (other tables are not ours). */
export function parseRules(json: string): FirewallStatus {
  let items: NftItem[];
  try {
    items = (JSON.parse(json) as { nftables?: NftItem[] }).nftables ?? [];
  } catch {
    return { state: 'unreadable', reason: 'nft printed something that is not JSON' };
  }
  if (!items.some((i) => i.table?.family === 'inet' && i.table.name === 'leakwatch')) return { state: 'missing', reason: MISSING };
  const ours = items.filter((i) => i.rule?.family === 'inet' && TABLES.has(i.rule.table));
  const entries = Object.entries(FIREWALL_RULES).map(([key, comment]) => {
    const rule = ours.find((i) => i.rule?.comment === comment)?.rule;
    const counter = rule?.expr?.find((e) => e.counter)?.counter;
    return [key, { present: rule !== undefined, packets: counter ? counter.packets : null }];
  });
  return { state: 'loaded', rules: Object.fromEntries(entries) as Record<FirewallRule, { present: boolean; packets: number | null }> };
}
