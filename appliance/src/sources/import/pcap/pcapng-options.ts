/** The options of a pcapng Interface Description Block that decide packet timestamps. */
export interface InterfaceClock {
  /** Timestamp units per second (if_tsresol; default 10^6). */
  unitsPerSecond: number;
  /** Seconds added to every timestamp (if_tsoffset; default 0). */
  offsetSeconds: number;
}

const OPT_END = 0;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;

/** Reads if_tsresol and if_tsoffset from an option list (code, length, value padded to 4 bytes). */
export function interfaceClock(b: Buffer, start: number, end: number, littleEndian: boolean): InterfaceClock {
  const clock: InterfaceClock = { unitsPerSecond: 1e6, offsetSeconds: 0 };
  let at = start;
  while (at + 4 <= end) {
    const code = littleEndian ? b.readUInt16LE(at) : b.readUInt16BE(at);
    const length = littleEndian ? b.readUInt16LE(at + 2) : b.readUInt16BE(at + 2);
    const value = at + 4;
    if (code === OPT_END || value + length > end) break;
    if (code === IF_TSRESOL && length >= 1) {
      const r = b[value]!;
      // High bit set: a power of two; clear: a power of ten.
      clock.unitsPerSecond = r & 0x80 ? 2 ** (r & 0x7f) : 10 ** r;
    } else if (code === IF_TSOFFSET && length >= 8) {
      clock.offsetSeconds = Number(littleEndian ? b.readBigInt64LE(value) : b.readBigInt64BE(value));
    }
    at = value + ((length + 3) & ~3);
  }
  return clock;
}
