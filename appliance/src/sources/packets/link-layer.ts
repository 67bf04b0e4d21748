import { formatMac } from './ip-address.js';

/** The network-layer packet inside a link-layer frame, and the sender's hardware address if the frame names one. */
export interface LinkPayload {
  payload: Uint8Array;
  /** Source MAC (Ethernet, Linux cooked capture): kept to tell devices apart later. */
  sourceMac?: string;
}

export type LinkResult = LinkPayload | 'unsupported-link' | 'not-ip' | 'malformed';

/** LINKTYPE_* values (https://www.tcpdump.org/linktypes.html) this decoder understands. */
export const LINK = { null: 0, ethernet: 1, rawBsd: 12, rawOpenBsd: 14, raw: 101, loop: 108, linuxSll: 113, ipv4: 228, ipv6: 229, linuxSll2: 276 } as const;

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = [0x8100, 0x88a8, 0x9100];
/** BSD address families for IPv4 and IPv6 in NULL/LOOP headers (IPv6 differs per BSD; 10 is Linux). */
const AF_INET = 2;
const AF_INET6 = [10, 24, 28, 30];

/** Strips the link-layer header of one frame; says why when the frame holds no IP packet we read. */
export function decodeLinkLayer(linkType: number, frame: Uint8Array): LinkResult {
  switch (linkType) {
    case LINK.ethernet:
      return ethernet(frame);
    case LINK.linuxSll:
      return cooked(frame, SLL);
    case LINK.linuxSll2:
      return cooked(frame, SLL2);
    case LINK.raw:
    case LINK.rawBsd:
    case LINK.rawOpenBsd:
    case LINK.ipv4:
    case LINK.ipv6:
      return { payload: frame };
    case LINK.null:
    case LINK.loop:
      return loopback(frame);
    default:
      return 'unsupported-link';
  }
}

function ethernet(frame: Uint8Array): LinkResult {
  let at = 12;
  let type = frame.length >= 14 ? (frame[12]! << 8) | frame[13]! : -1;
  // 802.1Q / 802.1ad tags, possibly stacked (QinQ): 4 bytes each before the real EtherType.
  while (ETHERTYPE_VLAN.includes(type) && frame.length >= at + 6) {
    at += 4;
    type = (frame[at]! << 8) | frame[at + 1]!;
  }
  if (type < 0 || ETHERTYPE_VLAN.includes(type)) return 'malformed';
  if (type !== ETHERTYPE_IPV4 && type !== ETHERTYPE_IPV6) return 'not-ip';
  return { payload: frame.subarray(at + 2), sourceMac: formatMac(frame, 6) };
}

/** Where the fields of a Linux "cooked" header are (`tcpdump -i any`). */
interface CookedLayout {
  headerLength: number;
  protocolAt: number;
  addressLengthAt: number;
  /** SLL stores the address length in 2 bytes, SLL2 in 1. */
  addressLengthBytes: 1 | 2;
  addressAt: number;
}
const SLL: CookedLayout = { headerLength: 16, protocolAt: 14, addressLengthAt: 4, addressLengthBytes: 2, addressAt: 6 };
const SLL2: CookedLayout = { headerLength: 20, protocolAt: 0, addressLengthAt: 11, addressLengthBytes: 1, addressAt: 12 };

function cooked(frame: Uint8Array, layout: CookedLayout): LinkResult {
  if (frame.length < layout.headerLength) return 'malformed';
  const protocol = (frame[layout.protocolAt]! << 8) | frame[layout.protocolAt + 1]!;
  if (protocol !== ETHERTYPE_IPV4 && protocol !== ETHERTYPE_IPV6) return 'not-ip';
  const at = layout.addressLengthAt;
  const addressLength = layout.addressLengthBytes === 2 ? (frame[at]! << 8) | frame[at + 1]! : frame[at]!;
  const result: LinkPayload = { payload: frame.subarray(layout.headerLength) };
  if (addressLength === 6) result.sourceMac = formatMac(frame, layout.addressAt);
  return result;
}

/** BSD loopback: a 4-byte address family, in the capturing host's byte order (NULL) or big-endian (LOOP). */
function loopback(frame: Uint8Array): LinkResult {
  if (frame.length < 4) return 'malformed';
  const little = frame[0]! | (frame[1]! << 8) | (frame[2]! << 16);
  const family = little !== 0 ? little : frame[3]!;
  if (family !== AF_INET && !AF_INET6.includes(family)) return 'not-ip';
  return { payload: frame.subarray(4) };
}
