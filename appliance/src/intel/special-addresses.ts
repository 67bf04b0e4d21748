import { compareWords, parseCidr } from './ip.js';
import type { Cidr, ParsedIp } from './ip.js';

/**
 * IANA special-purpose blocks (RFC 6890 and its registries): private, loopback, link-local,
 * shared (CGNAT), documentation, benchmarking, multicast and reserved space. They belong to no
 * network on the internet, yet the npm data places some of them (192.168.0.0/16 and 203.0.113.0/24
 * in AU, 2001:db8::/32 in JP), which would put a home router in Australia. Only overlays speak
 * for them.
 */
const SPECIAL: readonly Cidr[] = [
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12',
  '192.0.0.0/24', '192.0.2.0/24', '192.168.0.0/16', '198.18.0.0/15', '198.51.100.0/24',
  '203.0.113.0/24', '224.0.0.0/4', '240.0.0.0/4',
  '::/127', '100::/64', '2001:db8::/32', 'fc00::/7', 'fe80::/10', 'ff00::/8',
].map((text) => parseCidr(text)!);

export function isSpecialPurpose(ip: ParsedIp): boolean {
  const words = ip.v === 4 ? [ip.n] : ip.words;
  return SPECIAL.some((r) => r.v === ip.v && compareWords(r.first, words) <= 0 && compareWords(words, r.last) <= 0);
}
