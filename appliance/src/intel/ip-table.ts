/**
 * Sorted, non-overlapping address ranges with a value index each, searched by binary search.
 * IPv4 ranges use one 32-bit word per address, IPv6 four (big-endian word order). Built at build
 * time from the npm CSVs (appliance/scripts/build-intel.ts) and loaded as typed arrays.
 *
 * A 65,536-entry index on the top 16 bits of each start narrows the search to one bucket before
 * the binary search starts: the tables are megabytes, so each probe is a likely cache miss, and
 * the index cuts about 19 probes to a handful.
 */
export class RangeTable {
  readonly count: number;
  /** bucketStart[k] = first range whose start's top 16 bits are ≥ k; bucketStart[65536] = count. */
  private readonly bucketStart: Uint32Array;

  constructor(
    readonly wordsPerAddress: 1 | 4,
    readonly starts: Uint32Array,
    readonly ends: Uint32Array,
    readonly values: Uint32Array,
  ) {
    this.count = values.length;
    this.bucketStart = new Uint32Array(65537);
    let range = 0;
    for (let k = 0; k <= 65536; k++) {
      while (range < this.count && starts[range * wordsPerAddress]! >>> 16 < k) range++;
      this.bucketStart[k] = range;
    }
  }

  /** The value index of the range holding `address` (one word for IPv4, four for IPv6), or -1. */
  find(address: readonly number[]): number {
    const w = this.wordsPerAddress;
    const top = address[0]! >>> 16;
    // The holding range is the last one starting at or before the address: inside this bucket,
    // or else the last range of an earlier bucket.
    let lo = Math.max(0, this.bucketStart[top]! - 1);
    let hi = this.bucketStart[top + 1]! - 1;
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
  for (let i = 0; i < w; i++) {
    const a = table[offset + i]!;
    const b = address[i]!;
    if (a !== b) return a < b ? -1 : 1;
  }
  return 0;
}

/** Serialised form: [count u32][starts][ends][values], little-endian u32 words. */
export function serialiseTable(wordsPerAddress: 1 | 4, starts: ArrayLike<number>, ends: ArrayLike<number>, values: ArrayLike<number>): Buffer {
  const count = values.length;
  const words = new Uint32Array(1 + count * wordsPerAddress * 2 + count);
  words[0] = count;
  words.set(starts, 1);
  words.set(ends, 1 + count * wordsPerAddress);
  words.set(values, 1 + 2 * count * wordsPerAddress);
  return toLittleEndian(words);
}

export function deserialiseTable(wordsPerAddress: 1 | 4, data: Uint8Array): RangeTable {
  const words = fromLittleEndian(data);
  const count = words[0]!;
  const span = count * wordsPerAddress;
  if (words.length !== 1 + 2 * span + count) throw new RangeError(`IP range table is ${data.byteLength} bytes, not the ${4 * (1 + 2 * span + count)} its header promises`);
  const starts = words.subarray(1, 1 + span);
  const ends = words.subarray(1 + span, 1 + 2 * span);
  const values = words.subarray(1 + 2 * span, 1 + 2 * span + count);
  return new RangeTable(wordsPerAddress, starts, ends, values);
}

const hostIsLittleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The tables are little-endian on disk (x86-64 and arm64 are too); a big-endian host swaps. */
export function toLittleEndian(words: Uint32Array): Buffer {
  const buf = Buffer.from(words.buffer, words.byteOffset, words.byteLength);
  return hostIsLittleEndian ? buf : Buffer.from(buf).swap32();
}

export function fromLittleEndian(data: Uint8Array): Uint32Array {
  // Copy into a fresh ArrayBuffer: a Buffer from readFileSync may sit at an offset a Uint32Array cannot start at.
  const copy = new Uint8Array(data);
  if (!hostIsLittleEndian) Buffer.from(copy.buffer).swap32();
  return new Uint32Array(copy.buffer);
}
