import type { DnsMessage } from './dns.js';

/** Addresses remembered at most; the oldest answers are forgotten first. */
const DEFAULT_MAX_ADDRESSES = 100_000;

/**
 * The name a client looked up for each address, from the DNS answers a capture saw. The name kept
 * is the one asked (`sa.api.intl.miui.com`), not the CDN name at the end of a CNAME chain: that is
 * the name the app used, and the one a TLS connection without SNI or a request without Host stood for.
 */
export class DnsNames {
  private readonly names = new Map<string, string>();

  constructor(private readonly maxAddresses = DEFAULT_MAX_ADDRESSES) {}

  get size(): number {
    return this.names.size;
  }

  learn(message: DnsMessage): void {
    if (!message.response) return;
    const asked = message.questions[0];
    for (const { name, ip } of message.addresses) {
      // The question's name when the record is its answer (directly or through CNAMEs); else the record's own.
      const chosen = asked !== undefined && this.chainReaches(message, asked, name) ? asked : name;
      this.names.delete(ip);
      this.names.set(ip, chosen);
      if (this.names.size > this.maxAddresses) this.names.delete(this.names.keys().next().value!);
    }
  }

  nameOf(ip: string): string | undefined {
    return this.names.get(ip);
  }

  private chainReaches(message: DnsMessage, from: string, to: string): boolean {
    let current = from;
    for (let hops = 0; hops <= message.aliases.length; hops++) {
      if (current === to) return true;
      const next = message.aliases.find((a) => a.name === current);
      if (!next) return false;
      current = next.target;
    }
    return false;
  }
}
