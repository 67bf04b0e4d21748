/** Who a frame on the hotspot belongs to: the phone's side of it, and the address it talked to. */
export interface FrameParties {
  /** The MAC of the device on the hotspot (not the appliance's own). */
  device: string;
  direction: 'from-device' | 'to-device';
  /** The IP address on the other end, for IPv4 and IPv6 frames. */
  peer?: string;
  /** The device's own IP address in the frame. */
  deviceIp?: string;
  /** The port of a TCP connection the device opens (a SYN without ACK), e.g. 853 for DNS-over-TLS. */
  opensTcpPort?: number;
  /** For TCP: the port on the peer's side (the server's, for connections the device makes). */
  peerTcpPort?: number;
  /** For UDP the device sends: the destination port (443 is QUIC, which the hotspot drops). */
  sendsUdpPort?: number;
}

const TCP = 6;
const UDP = 17;

/** Destination port of a SYN (without ACK) at `at`, the start of a TCP header. */
function synPort(frame: Uint8Array, at: number): number | undefined {
  if (frame.length < at + 14) return undefined;
  const flags = frame[at + 13]!;
  return (flags & 0x12) === 0x02 ? (frame[at + 2]! << 8) | frame[at + 3]! : undefined;
}

const mac = (b: Uint8Array, at: number) => Array.from(b.subarray(at, at + 6), (x) => x.toString(16).padStart(2, '0')).join(':');

/** The canonical (RFC 5952, compressed) text of 16 address bytes; the URL parser does the compressing. */
function ipv6(b: Uint8Array, at: number): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[at + i]! << 8) | b[at + i + 1]!).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

/**
 * Reads an Ethernet frame's addresses (through 802.1Q tags): the side that is not the appliance
 * is the device. Undefined for frames between two other stations, broadcast-only frames and
 * anything too short to be Ethernet.
 */
export function frameParties(frame: Uint8Array, applianceMac: string): FrameParties | undefined {
  if (frame.length < 14) return undefined;
  const destination = mac(frame, 0);
  const source = mac(frame, 6);
  let direction: FrameParties['direction'];
  if (source === applianceMac) direction = 'to-device';
  else if (destination === applianceMac || (frame[0]! & 1) === 1) direction = 'from-device';
  else return undefined;
  const device = direction === 'from-device' ? source : destination;
  if ((frame[direction === 'from-device' ? 6 : 0]! & 1) === 1) return undefined;
  let at = 12;
  let etherType = (frame[at]! << 8) | frame[at + 1]!;
  while ((etherType === 0x8100 || etherType === 0x88a8) && at + 6 <= frame.length) {
    at += 4;
    etherType = (frame[at]! << 8) | frame[at + 1]!;
  }
  const ip = at + 2;
  const parties: FrameParties = { device, direction };
  let protocol: number | undefined;
  let transport = 0;
  if (etherType === 0x0800 && frame.length >= ip + 20) {
    const [peerAt, deviceAt] = direction === 'from-device' ? [ip + 16, ip + 12] : [ip + 12, ip + 16];
    parties.peer = Array.from(frame.subarray(peerAt, peerAt + 4)).join('.');
    parties.deviceIp = Array.from(frame.subarray(deviceAt, deviceAt + 4)).join('.');
    protocol = frame[ip + 9];
    transport = ip + (frame[ip]! & 0x0f) * 4;
  } else if (etherType === 0x86dd && frame.length >= ip + 40) {
    parties.peer = ipv6(frame, direction === 'from-device' ? ip + 24 : ip + 8);
    parties.deviceIp = ipv6(frame, direction === 'from-device' ? ip + 8 : ip + 24);
    protocol = frame[ip + 6];
    transport = ip + 40;
  }
  if (protocol === TCP && frame.length >= transport + 4) {
    parties.peerTcpPort = direction === 'from-device' ? (frame[transport + 2]! << 8) | frame[transport + 3]! : (frame[transport]! << 8) | frame[transport + 1]!;
    const port = direction === 'from-device' ? synPort(frame, transport) : undefined;
    if (port !== undefined) parties.opensTcpPort = port;
  } else if (protocol === UDP && direction === 'from-device' && frame.length >= transport + 4) {
    parties.sendsUdpPort = (frame[transport + 2]! << 8) | frame[transport + 3]!;
  }
  return parties;
}
