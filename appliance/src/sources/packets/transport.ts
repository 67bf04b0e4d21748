/** TCP and UDP headers: ports, and for TCP what a reassembler needs. */

export interface TcpSegment {
  srcPort: number;
  dstPort: number;
  /** Sequence number, unsigned 32-bit. */
  seq: number;
  syn: boolean;
  ack: boolean;
  fin: boolean;
  rst: boolean;
  payload: Uint8Array;
}

export interface UdpDatagram {
  srcPort: number;
  dstPort: number;
  payload: Uint8Array;
}

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;

export function decodeTcp(b: Uint8Array): TcpSegment | undefined {
  if (b.length < 20) return undefined;
  const headerLength = (b[12]! >> 4) * 4;
  if (headerLength < 20 || headerLength > b.length) return undefined;
  const flags = b[13]!;
  return {
    srcPort: (b[0]! << 8) | b[1]!,
    dstPort: (b[2]! << 8) | b[3]!,
    seq: ((b[4]! << 24) | (b[5]! << 16) | (b[6]! << 8) | b[7]!) >>> 0,
    syn: (flags & SYN) !== 0,
    ack: (flags & ACK) !== 0,
    fin: (flags & FIN) !== 0,
    rst: (flags & RST) !== 0,
    payload: b.subarray(headerLength),
  };
}

export function decodeUdp(b: Uint8Array): UdpDatagram | undefined {
  if (b.length < 8) return undefined;
  const length = (b[4]! << 8) | b[5]!;
  // Length 0 is legal for IPv6 jumbograms; otherwise it bounds the payload inside any padding.
  const end = length >= 8 ? Math.min(length, b.length) : b.length;
  return { srcPort: (b[0]! << 8) | b[1]!, dstPort: (b[2]! << 8) | b[3]!, payload: b.subarray(8, end) };
}
