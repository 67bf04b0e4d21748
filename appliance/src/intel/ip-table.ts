import { compareWords } from './ip.js';

/**
 * Sorted, non-overlapping address ranges with a value index each, searched by binary search.
 * IPv4 ranges use one 32-bit word per address, IPv6 four. Built at build time from the npm CSVs
 * (appliance/scripts/build-intel.ts) and loaded as typed arrays.
 */
export class RangeTable {
  readonly count: number;

  constructor(
    readonly wordsPerAddress: 1 | 4,
    readonly starts: Uint32Array,
    readonly ends: Uint32Array,
    readonly values: Uint32Array,
  ) {
    this.count = values.length;
  }

  /** The value index of the range holding `address`, or -1. */
  find(address: readonly number[]): number {
    const w = this.wordsPerAddress;
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (compareAt(this.starts, mid * w, address, w) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (found < 0 || compareAt(this.ends, found * w, address, w) < 0) return -1;
    return this.values[found]!;
  }
}

function compareAt(table: Uint32Array, offset: number, address: readonly number[], w: number): number {
  if (w === 1) return table[offset]! === address[0]! ? 0 : table[offset]! < address[0]! ? -1 : 1;
  return compareWords(table.subarray(offset, offset + w), address);
}

/** Serialised form: [count u32][starts][ends][values], little-endian u32 words. */
export function serialiseTable(wordsPerAddress: 1 | 4, starts: number[], ends: number[], values: number[]): Buffer {
  const count = values.length;
  const buf = Buffer.alloc(4 + 4 * (count * wordsPerAddress * 2 + count));
  let o = 0;
  buf.writeUInt32LE(count, o);
  o += 4;
  for (const list of [starts, ends, values]) for (const v of list) {
    buf.writeUInt32LE(v >>> 0, o);
    o += 4;
  }
  return buf;
}

export function deserialiseTable(wordsPerAddress: 1 | 4, data: Uint8Array): RangeTable {
  const aligned = new Uint32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  const count = aligned[0]!;
  const span = count * wordsPerAddress;
  const starts = aligned.subarray(1, 1 + span);
  const ends = aligned.subarray(1 + span, 1 + 2 * span);
  const values = aligned.subarray(1 + 2 * span, 1 + 2 * span + count);
  return new RangeTable(wordsPerAddress, starts, ends, values);
}
