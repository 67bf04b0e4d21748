import { execFile } from 'node:child_process';

/** The rules of provisioning/nftables/leakwatch.nft, by the comment each carries. */
export const FIREWALL_RULES = {
  redirectHttp: 'hotspot HTTP to the proxy',
  redirectHttps: 'hotspot HTTPS to the proxy',
  dropQuic: 'no QUIC from the hotspot',
  dropDnsOverTls: 'no DNS-over-TLS from the hotspot',
} as const;

export type FirewallRule = keyof typeof FIREWALL_RULES;

export type FirewallStatus =
  | { state: 'loaded'; rules: Record<FirewallRule, { present: boolean; packets: number | null }> }
  /** nft answered: the table is not there (the service is stopped, or provisioning never ran). */
  | { state: 'missing'; reason: string }
  /** nft could not be asked (not installed, or no CAP_NET_ADMIN). */
  | { state: 'unreadable'; reason: string };

interface NftRule {
  rule?: { comment?: string; expr?: { counter?: { packets: number } }[] };
}

/** Reads leakwatch's nftables table: which of its rules are loaded, and their packet counters. */
export function firewallStatus(): Promise<FirewallStatus> {
  return new Promise((resolve) => {
    execFile('nft', ['-j', 'list', 'table', 'inet', 'leakwatch'], { timeout: 3000 }, (error, stdout, stderr) => {
      if (error) {
        const text = `${stderr}`.trim() || error.message;
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return resolve({ state: 'unreadable', reason: 'nft is not installed (apt-get install nftables)' });
        if (/no such file or directory|does not exist/i.test(text)) return resolve({ state: 'missing', reason: 'the table inet leakwatch is not loaded: the redirect to the proxy is off (it is removed while leakwatch is stopped)' });
        return resolve({ state: 'unreadable', reason: `nft could not list the rules (${text.split('\n')[0]}); leakwatch needs CAP_NET_ADMIN for this` });
      }
      resolve(parseRules(stdout));
    });
  });
}

/** What `nft -j list table inet leakwatch` printed, as a status. */
export function parseRules(json: string): FirewallStatus {
  let items: NftRule[];
  try {
    items = (JSON.parse(json) as { nftables?: NftRule[] }).nftables ?? [];
  } catch {
    return { state: 'unreadable', reason: 'nft printed something that is not JSON' };
  }
  const entries = Object.entries(FIREWALL_RULES).map(([key, comment]) => {
    const rule = items.find((i) => i.rule?.comment === comment)?.rule;
    const counter = rule?.expr?.find((e) => e.counter)?.counter;
    return [key, { present: rule !== undefined, packets: counter ? counter.packets : null }];
  });
  return { state: 'loaded', rules: Object.fromEntries(entries) as Record<FirewallRule, { present: boolean; packets: number | null }> };
}
