/**
 * pcapng blocks (draft-ietf-opsawg-pcapng), written little-endian: what the rolling evidence and
 * its slices are made of. Wireshark, tshark and tcpdump (libpcap ≥ 1.1) open these files; the
 * Decryption Secrets Block lets Wireshark decrypt the TLS connections leakwatch intercepted.
 */

const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
export const BLOCK = { sectionHeader: 0x0a0d0d0a, interfaceDescription: 1, enhancedPacket: 6, decryptionSecrets: 10 } as const;
/** Secrets type of a Decryption Secrets Block holding NSS key log lines (`TLSK`). */
export const TLS_KEY_LOG = 0x544c534b;
const OPTION_END = 0;
const OPTION_COMMENT = 1;
const IF_TSRESOL = 9;
const SHB_USER_APPL = 4;

const pad4 = (n: number) => (4 - (n % 4)) % 4;

/** An option: code, length, value, padding to 32 bits. */
function option(code: number, value: Uint8Array): Buffer {
  const out = Buffer.alloc(4 + value.length + pad4(value.length));
  out.writeUInt16LE(code, 0);
  out.writeUInt16LE(value.length, 2);
  out.set(value, 4);
  return out;
}

function options(list: Buffer[]): Buffer {
  return list.length === 0 ? Buffer.alloc(0) : Buffer.concat([...list, option(OPTION_END, new Uint8Array())]);
}

/** type, total length, body, total length again. */
function block(type: number, body: Buffer): Buffer {
  const total = 12 + body.length;
  const out = Buffer.alloc(total);
  out.writeUInt32LE(type, 0);
  out.writeUInt32LE(total, 4);
  body.copy(out, 8);
  out.writeUInt32LE(total, total - 4);
  return out;
}

export function sectionHeader(application: string, comment?: string): Buffer {
  const head = Buffer.alloc(16);
  head.writeUInt32LE(BYTE_ORDER_MAGIC, 0);
  head.writeUInt16LE(1, 4);
  head.writeUInt16LE(0, 6);
  head.writeBigInt64LE(-1n, 8); // section length not known in advance
  const opts = [option(SHB_USER_APPL, Buffer.from(application))];
  if (comment) opts.unshift(option(OPTION_COMMENT, Buffer.from(comment)));
  return block(BLOCK.sectionHeader, Buffer.concat([head, options(opts)]));
}

/** One interface; timestamps in microseconds (if_tsresol 6), as libpcap gives them. */
export function interfaceDescription(linkType: number, snapLength: number, name?: string): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16LE(linkType, 0);
  head.writeUInt32LE(snapLength, 4);
  const opts = [option(IF_TSRESOL, Uint8Array.of(6))];
  if (name) opts.unshift(option(2, Buffer.from(name)));
  return block(BLOCK.interfaceDescription, Buffer.concat([head, options(opts)]));
}

/** Bytes of an Enhanced Packet Block holding `capturedLength` bytes of packet. */
export function enhancedPacketLength(capturedLength: number): number {
  return 32 + capturedLength + pad4(capturedLength);
}

/**
 * Writes an Enhanced Packet Block into `target` at `offset` (room for enhancedPacketLength bytes)
 * and returns its length: the packet's bytes are copied once, straight from the capture's buffer.
 */
export function writeEnhancedPacket(target: Buffer, offset: number, interfaceId: number, timeMicros: bigint, data: Uint8Array, originalLength = data.length): number {
  const total = enhancedPacketLength(data.length);
  target.writeUInt32LE(BLOCK.enhancedPacket, offset);
  target.writeUInt32LE(total, offset + 4);
  target.writeUInt32LE(interfaceId, offset + 8);
  target.writeUInt32LE(Number(timeMicros >> 32n), offset + 12);
  target.writeUInt32LE(Number(timeMicros & 0xffffffffn), offset + 16);
  target.writeUInt32LE(data.length, offset + 20);
  target.writeUInt32LE(originalLength, offset + 24);
  target.set(data, offset + 28);
  target.fill(0, offset + 28 + data.length, offset + total - 4);
  target.writeUInt32LE(total, offset + total - 4);
  return total;
}

/** NSS key log lines (`CLIENT_RANDOM …`, `CLIENT_HANDSHAKE_TRAFFIC_SECRET …`), one per line. */
export function decryptionSecrets(keyLogLines: readonly string[]): Buffer {
  const secrets = Buffer.from(keyLogLines.map((l) => `${l.trim()}\n`).join(''));
  const head = Buffer.alloc(8);
  head.writeUInt32LE(TLS_KEY_LOG, 0);
  head.writeUInt32LE(secrets.length, 4);
  return block(BLOCK.decryptionSecrets, Buffer.concat([head, secrets, Buffer.alloc(pad4(secrets.length))]));
}

export interface PcapngBlock {
  type: number;
  /** Offset of the block in the file, and its bytes. */
  offset: number;
  bytes: Buffer;
}

/** Splits a little-endian pcapng file we wrote into blocks; stops at a torn last block (a crash mid-write). */
export function* blocksOf(file: Buffer): Generator<PcapngBlock> {
  for (let offset = 0; offset + 12 <= file.length; ) {
    const type = file.readUInt32LE(offset);
    const length = file.readUInt32LE(offset + 4);
    if (length < 12 || length % 4 !== 0 || offset + length > file.length || file.readUInt32LE(offset + length - 4) !== length) return;
    yield { type, offset, bytes: file.subarray(offset, offset + length) };
    offset += length;
  }
}

/** Microseconds since the epoch of an Enhanced Packet Block written with if_tsresol 6. */
export function packetTime(epb: Buffer): bigint {
  return (BigInt(epb.readUInt32LE(12)) << 32n) | BigInt(epb.readUInt32LE(16));
}
