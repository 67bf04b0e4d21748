import { formatIpv4, formatIpv6 } from './ip-address.js';

/** An IPv4 or IPv6 packet with its extension headers skipped: who sent it to whom, and what it carries. */
export interface IpPacket {
  version: 4 | 6;
  src: string;
  dst: string;
  /** Upper-layer protocol: 6 TCP, 17 UDP. */
  protocol: number;
  payload: Uint8Array;
  /** The capture cut the packet short (snap length): `payload` lacks `missingBytes` at its end. */
  missingBytes: number;
}

/** Why no IP packet was read: a fragment (not reassembled, see decodeIp), or bytes that are not a valid header. */
export type IpResult = IpPacket | 'fragment' | 'malformed';

export const PROTOCOL = { tcp: 6, udp: 17 } as const;

/** IPv6 extension headers that chain on with (next header, length in 8-byte units - 1). */
const IPV6_EXTENSIONS = new Set([0 /* hop-by-hop */, 43 /* routing */, 60 /* destination options */, 135 /* mobility */, 139 /* HIP */, 140 /* shim6 */]);
const IPV6_FRAGMENT = 44;
const IPV6_AH = 51;

/**
 * Fragments are reported, not reassembled: phones' TCP sets Don't Fragment and sizes segments by
 * MSS/PMTU, so HTTP and TLS never arrive fragmented in practice, and holding fragments for a
 * reassembly that almost never completes would cost memory on hostile input. The caller counts
 * them and warns once.
 */
export function decodeIp(b: Uint8Array): IpResult {
  if (b.length < 1) return 'malformed';
  const version = b[0]! >> 4;
  if (version === 4) return ipv4(b);
  if (version === 6) return ipv6(b);
  return 'malformed';
}

function ipv4(b: Uint8Array): IpResult {
  const headerLength = (b[0]! & 0x0f) * 4;
  if (headerLength < 20 || b.length < headerLength) return 'malformed';
  const totalLength = (b[2]! << 8) | b[3]!;
  // TSO captures on the sending host record 0 here; trust what was captured then.
  const length = totalLength === 0 ? b.length : totalLength;
  if (length < headerLength) return 'malformed';
  const flagsAndOffset = (b[6]! << 8) | b[7]!;
  if ((flagsAndOffset & 0x2000) !== 0 || (flagsAndOffset & 0x1fff) !== 0) return 'fragment';
  // Ethernet pads short frames: the IP total length, not the frame, says where the packet ends.
  const end = Math.min(length, b.length);
  return {
    version: 4, src: formatIpv4(b, 12), dst: formatIpv4(b, 16), protocol: b[9]!,
    payload: b.subarray(headerLength, end), missingBytes: length - end,
  };
}

function ipv6(b: Uint8Array): IpResult {
  if (b.length < 40) return 'malformed';
  const payloadLength = (b[4]! << 8) | b[5]!;
  // A jumbogram (length 0) or a TSO capture: the capture says where the packet ends.
  const end = payloadLength === 0 ? b.length : 40 + payloadLength;
  let next = b[6]!;
  let at = 40;
  for (;;) {
    if (IPV6_EXTENSIONS.has(next) || next === IPV6_AH) {
      if (at + 2 > b.length) return 'malformed';
      const length = next === IPV6_AH ? (b[at + 1]! + 2) * 4 : (b[at + 1]! + 1) * 8;
      next = b[at]!;
      at += length;
    } else if (next === IPV6_FRAGMENT) {
      if (at + 8 > b.length) return 'malformed';
      const offsetAndMore = (b[at + 2]! << 8) | b[at + 3]!;
      // An "atomic" fragment header (offset 0, no more fragments) wraps a whole packet.
      if ((offsetAndMore & 0xfff9) !== 0) return 'fragment';
      next = b[at]!;
      at += 8;
    } else {
      break;
    }
  }
  if (at > end || at > b.length) return 'malformed';
  const captured = Math.min(end, b.length);
  return {
    version: 6, src: formatIpv6(b, 8), dst: formatIpv6(b, 24), protocol: next,
    payload: b.subarray(at, captured), missingBytes: end - captured,
  };
}
