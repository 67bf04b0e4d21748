import type { CapturedPacket } from '../../packets/captured-packet.js';
import { CaptureFileError, ChunkJoiner } from './capture-file.js';
import type { CaptureFileReader } from './capture-file.js';

/** Classic pcap magics as read big-endian: which byte order the writer used, and µs or ns timestamps. */
const MAGICS: Record<number, { littleEndian: boolean; nanoseconds: boolean }> = {
  0xa1b2c3d4: { littleEndian: false, nanoseconds: false },
  0xd4c3b2a1: { littleEndian: true, nanoseconds: false },
  0xa1b23c4d: { littleEndian: false, nanoseconds: true },
  0x4d3cb2a1: { littleEndian: true, nanoseconds: true },
};

const FILE_HEADER = 24;
const RECORD_HEADER = 16;
/** No link layer frames anything bigger (libpcap allows 256 KiB); a larger length means a corrupt record. */
const MAX_RECORD = 256 * 1024;

/** The classic libpcap format (https://datatracker.ietf.org/doc/draft-ietf-opsawg-pcap/), read as a stream. */
export class PcapReader implements CaptureFileReader {
  private readonly joiner = new ChunkJoiner();
  private format: { littleEndian: boolean; nanoseconds: boolean; linkType: number } | undefined;
  private corrupt: string | undefined;
  packetsRead = 0;

  push(chunk: Buffer, onPacket: (packet: CapturedPacket) => void): void {
    if (this.corrupt) return;
    const b = this.joiner.join(chunk);
    let at = 0;
    if (!this.format) {
      if (b.length < FILE_HEADER) return this.joiner.keep(b, 0);
      this.format = readHeader(b);
      at = FILE_HEADER;
    }
    const { littleEndian, nanoseconds, linkType } = this.format;
    const u32 = (p: number) => (littleEndian ? b.readUInt32LE(p) : b.readUInt32BE(p));
    while (at + RECORD_HEADER <= b.length) {
      const seconds = u32(at);
      const fraction = u32(at + 4);
      const captured = u32(at + 8);
      const original = u32(at + 12);
      if (captured > MAX_RECORD) {
        this.corrupt = `packet record ${this.packetsRead + 1} claims ${captured} bytes, more than any frame: the file is corrupt from byte ${at} on`;
        return;
      }
      if (at + RECORD_HEADER + captured > b.length) break;
      const data = b.subarray(at + RECORD_HEADER, at + RECORD_HEADER + captured);
      const time = seconds * 1000 + (nanoseconds ? fraction / 1e6 : fraction / 1e3);
      this.packetsRead++;
      onPacket({ time, linkType, data, originalLength: Math.max(original, captured) });
      at += RECORD_HEADER + captured;
    }
    this.joiner.keep(b, at);
  }

  end(): string | undefined {
    if (!this.format) throw new CaptureFileError('the pcap file header is cut short (fewer than 24 bytes)');
    if (this.corrupt) return `${this.corrupt}; read ${this.packetsRead} packets before it`;
    if (this.joiner.heldBytes > 0) return `the file ends in the middle of packet ${this.packetsRead + 1} (truncated?); read ${this.packetsRead} packets`;
    return undefined;
  }
}

function readHeader(b: Buffer): { littleEndian: boolean; nanoseconds: boolean; linkType: number } {
  const magic = MAGICS[b.readUInt32BE(0)];
  if (!magic) throw new CaptureFileError(`not a pcap file (magic ${b.subarray(0, 4).toString('hex')})`);
  const u16 = (p: number) => (magic.littleEndian ? b.readUInt16LE(p) : b.readUInt16BE(p));
  const u32 = (p: number) => (magic.littleEndian ? b.readUInt32LE(p) : b.readUInt32BE(p));
  const major = u16(4);
  if (major !== 2) throw new CaptureFileError(`pcap version ${major}.${u16(6)} is not supported (only 2.x exists)`);
  // The upper bits of the link type field may carry FCS information; the type is the low 16.
  return { ...magic, linkType: u32(20) & 0xffff };
}
