import type { CapturedPacket } from '../../packets/captured-packet.js';
import { CaptureFileError, ChunkJoiner } from './capture-file.js';
import type { CaptureFileReader } from './capture-file.js';
import { interfaceClock } from './pcapng-options.js';
import type { InterfaceClock } from './pcapng-options.js';

const BLOCK = { sectionHeader: 0x0a0d0d0a, interface: 1, obsoletePacket: 2, simplePacket: 3, enhancedPacket: 6 } as const;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** Larger blocks are not written by any tool; a larger length means the file is corrupt. */
const MAX_BLOCK = 16 * 1024 * 1024;

interface Interface extends InterfaceClock {
  linkType: number;
  snapLength: number;
}

/**
 * pcapng (https://datatracker.ietf.org/doc/draft-ietf-opsawg-pcapng/), read as a stream: each
 * section has its own byte order and interfaces; packets come from Enhanced, Simple and obsolete
 * Packet Blocks. Name resolution, statistics, decryption secrets, custom and unknown blocks are skipped.
 */
export class PcapngReader implements CaptureFileReader {
  private readonly joiner = new ChunkJoiner();
  private littleEndian: boolean | undefined;
  private interfaces: Interface[] = [];
  private corrupt: string | undefined;
  private blocksRead = 0;
  /** Time of the last packet, for Simple Packet Blocks, which carry none. */
  private lastTime = 0;
  packetsRead = 0;

  push(chunk: Buffer, onPacket: (packet: CapturedPacket) => void): void {
    if (this.corrupt) return;
    const b = this.joiner.join(chunk);
    let at = 0;
    while (at + 12 <= b.length) {
      const type = b.readUInt32BE(at) === BLOCK.sectionHeader ? BLOCK.sectionHeader : this.u32(b, at);
      if (type === BLOCK.sectionHeader) {
        if (at + 16 > b.length) break;
        this.startSection(b, at);
        if (this.corrupt) return;
      } else if (this.littleEndian === undefined) throw new CaptureFileError('not a pcapng file (it does not start with a Section Header Block)');
      const length = this.u32(b, at + 4);
      if (length < 12 || length % 4 !== 0 || length > MAX_BLOCK) {
        this.stop(`block ${this.blocksRead + 1} (at byte offset ${at} of the unread part) has an impossible length ${length}`);
        return;
      }
      if (at + length > b.length) break;
      this.block(type, b, at, length, onPacket);
      if (this.corrupt) return;
      this.blocksRead++;
      at += length;
    }
    this.joiner.keep(b, at);
  }

  end(): string | undefined {
    if (this.littleEndian === undefined) throw new CaptureFileError('the pcapng Section Header Block is cut short');
    if (this.corrupt) return `${this.corrupt}; read ${this.packetsRead} packets before it`;
    if (this.joiner.heldBytes > 0) return `the file ends in the middle of block ${this.blocksRead + 1} (truncated?); read ${this.packetsRead} packets`;
    return undefined;
  }

  private u32(b: Buffer, at: number): number {
    return this.littleEndian ? b.readUInt32LE(at) : b.readUInt32BE(at);
  }

  private stop(reason: string): void {
    if (this.littleEndian === undefined) throw new CaptureFileError(`not a readable pcapng file: ${reason}`);
    this.corrupt = reason;
  }

  /** A new section: its own byte order (from the byte-order magic) and a fresh interface list. */
  private startSection(b: Buffer, at: number): void {
    const magic = b.readUInt32BE(at + 8);
    if (magic === BYTE_ORDER_MAGIC) this.littleEndian = false;
    else if (magic === 0x4d3c2b1a) this.littleEndian = true;
    else return this.stop(`section header ${this.blocksRead + 1} has an unknown byte-order magic ${magic.toString(16)}`);
    const major = this.littleEndian ? b.readUInt16LE(at + 12) : b.readUInt16BE(at + 12);
    if (major !== 1) return this.stop(`pcapng version ${major} is not supported (only 1.x exists)`);
    this.interfaces = [];
  }

  private block(type: number, b: Buffer, at: number, length: number, onPacket: (packet: CapturedPacket) => void): void {
    const bodyEnd = at + length - 4;
    if (type === BLOCK.interface) {
      if (at + 16 > bodyEnd) return this.stop(`interface block ${this.interfaces.length} is too short`);
      const linkType = this.littleEndian ? b.readUInt16LE(at + 8) : b.readUInt16BE(at + 8);
      this.interfaces.push({ linkType, snapLength: this.u32(b, at + 12), ...interfaceClock(b, at + 16, bodyEnd, this.littleEndian!) });
    } else if (type === BLOCK.enhancedPacket || type === BLOCK.obsoletePacket) {
      if (at + 28 > bodyEnd) return this.stop(`packet block ${this.blocksRead + 1} is too short`);
      const id = type === BLOCK.enhancedPacket ? this.u32(b, at + 8) : this.littleEndian ? b.readUInt16LE(at + 8) : b.readUInt16BE(at + 8);
      const iface = this.interfaces[id];
      if (!iface) return this.stop(`packet block ${this.blocksRead + 1} names interface ${id}, which the section did not describe`);
      const captured = this.u32(b, at + 20);
      if (at + 28 + captured > bodyEnd) return this.stop(`packet block ${this.blocksRead + 1} claims more captured bytes than it holds`);
      const units = this.u32(b, at + 12) * 4294967296 + this.u32(b, at + 16);
      // Rounded to microseconds: binary resolutions (2^-n s) would otherwise land a hair before the millisecond they mean.
      const time = Math.round((units / iface.unitsPerSecond + iface.offsetSeconds) * 1e6) / 1000;
      this.emit(onPacket, iface, time, b.subarray(at + 28, at + 28 + captured), this.u32(b, at + 24));
    } else if (type === BLOCK.simplePacket) {
      const iface = this.interfaces[0];
      if (!iface) return this.stop(`simple packet block ${this.blocksRead + 1} comes before any interface block`);
      const original = this.u32(b, at + 8);
      // No captured length is stored: it is the original one, cut to the snap length and the block.
      const captured = Math.min(original, iface.snapLength || original, bodyEnd - (at + 12));
      // No timestamp either: the packet gets the time of the previous one.
      this.emit(onPacket, iface, this.lastTime, b.subarray(at + 12, at + 12 + captured), original);
    }
  }

  private emit(onPacket: (packet: CapturedPacket) => void, iface: Interface, time: number, data: Buffer, original: number): void {
    this.packetsRead++;
    this.lastTime = time;
    onPacket({ time, linkType: iface.linkType, data, originalLength: Math.max(original, data.length) });
  }
}
