import { compareWords, parseCidr, parseIp } from '../../intel/ip.js';
import type { Cidr } from '../../intel/ip.js';

/** Loopback and the private ranges a hotspot uses: the default, so the proxy is never open to the uplink. */
export const DEFAULT_ALLOWED_CLIENTS = ['127.0.0.0/8', '::1/128', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'];

export class AllowedClients {
  private readonly ranges: Cidr[];

  constructor(cidrs: readonly string[]) {
    this.ranges = cidrs.map((c) => {
      const parsed = parseCidr(c);
      if (!parsed) throw new Error(`allowed client range "${c}" is not a CIDR (like 10.42.0.0/24)`);
      return parsed;
    });
  }

  allows(address: string | undefined): boolean {
    const ip = address ? parseIp(address) : undefined;
    if (!ip) return false;
    const words = ip.v === 4 ? [ip.n] : ip.words;
    return this.ranges.some((r) => r.v === ip.v && compareWords(r.first, words) <= 0 && compareWords(words, r.last) <= 0);
  }
}
