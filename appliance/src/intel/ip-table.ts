import type { ByteSource } from './byte-source.js';

/**
 * Sorted, non-overlapping address ranges with a value index each, searched by binary search.
 * IPv4 ranges use one 32-bit word per address, IPv6 four (big-endian word order). Built at build
 * time from the npm CSVs (appliance/scripts/build-intel.ts) and searched where they lie: in the
 * table file, read by position, so the 20 MB of tables sit in the page cache and not in the
 * appliance's memory (a Pi Zero 2 W has 512 MB for everything).
 *
 * A 65,536-entry index on the top 16 bits of each start, built when the table is opened, narrows
 * the search to one bucket; a bucket is then narrowed one read at a time until at most CHUNK
 * starts are left, and those are read at once. An IPv4 lookup is typically three reads.
 *
 * File form: [count u32][starts][ends][values], little-endian u32 words.
 */
export class RangeTable {
  /** bucketStart[k] = first range whose start's top 16 bits are ≥ k; bucketStart[65536] = count. */
  private readonly bucketStart = new Uint32Array(65537);
  private readonly bytesPerAddress: number;
  private readonly endsAt: number;
  private readonly valuesAt: number;

  private constructor(
    readonly wordsPerAddress: 1 | 4,
    readonly count: number,
    private readonly source: ByteSource,
  ) {
    this.bytesPerAddress = 4 * wordsPerAddress;
    this.endsAt = STARTS_AT + count * this.bytesPerAddress;
    this.valuesAt = this.endsAt + count * this.bytesPerAddress;
    this.indexBuckets();
  }

  /** Opens a serialised table; throws a RangeError when its size disagrees with its header. */
  static open(wordsPerAddress: 1 | 4, source: ByteSource): RangeTable {
    const count = source.size >= 4 ? source.read(0, 4).readUInt32LE(0) : 0;
    const expected = 4 * (1 + 2 * count * wordsPerAddress + count);
    if (source.size !== expected) throw new RangeError(`IP range table is ${source.size} bytes, not the ${expected} its header promises`);
    return new RangeTable(wordsPerAddress, count, source);
  }

  /** The value index of the range holding `address` (one word for IPv4, four for IPv6), or -1. */
  find(address: readonly number[]): number {
    const w = this.wordsPerAddress;
    const bytes = this.bytesPerAddress;
    const top = address[0]! >>> 16;
    // The holding range is the last one starting at or before the address: inside this bucket,
    // or else the last range of an earlier bucket.
    let lo = Math.max(0, this.bucketStart[top]! - 1);
    let hi = this.bucketStart[top + 1]! - 1;
    let found = -1;
    while (hi - lo + 1 > CHUNK) {
      const mid = (lo + hi) >>> 1;
      if (compareAt(this.source.read(STARTS_AT + mid * bytes, bytes), 0, address, w) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (lo <= hi) {
      const starts = this.source.read(STARTS_AT + lo * bytes, (hi - lo + 1) * bytes);
      let a = 0;
      let b = hi - lo;
      while (a <= b) {
        const mid = (a + b) >>> 1;
        if (compareAt(starts, mid * bytes, address, w) <= 0) {
          found = lo + mid;
          a = mid + 1;
        } else {
          b = mid - 1;
        }
      }
    }
    if (found < 0 || compareAt(this.source.read(this.endsAt + found * bytes, bytes), 0, address, w) < 0) return -1;
    return this.source.read(this.valuesAt + found * 4, 4).readUInt32LE(0);
  }

  /** One pass over the starts, a block at a time. */
  private indexBuckets(): void {
    const bytes = this.bytesPerAddress;
    let bucket = 0;
    for (let first = 0; first < this.count; first += INDEX_BLOCK) {
      const n = Math.min(INDEX_BLOCK, this.count - first);
      const block = this.source.read(STARTS_AT + first * bytes, n * bytes);
      for (let i = 0; i < n; i++) {
        const top = block.readUInt32LE(i * bytes) >>> 16;
        while (bucket <= top) this.bucketStart[bucket++] = first + i;
      }
    }
    while (bucket <= 65536) this.bucketStart[bucket++] = this.count;
  }
}

const STARTS_AT = 4;
/** Starts left in a bucket when the rest are read in one go: 256 bytes for IPv4, 1 KiB for IPv6. */
const CHUNK = 64;
/** Starts read per block while indexing. */
const INDEX_BLOCK = 4096;

function compareAt(table: Buffer, offset: number, address: readonly number[], w: number): number {
  for (let i = 0; i < w; i++) {
    const a = table.readUInt32LE(offset + 4 * i);
    const b = address[i]!;
    if (a !== b) return a < b ? -1 : 1;
  }
  return 0;
}

/** The file form of a table: ranges sorted by start, not overlapping. */
export function serialiseTable(wordsPerAddress: 1 | 4, starts: ArrayLike<number>, ends: ArrayLike<number>, values: ArrayLike<number>): Buffer {
  const count = values.length;
  const words = new Uint32Array(1 + count * wordsPerAddress * 2 + count);
  words[0] = count;
  words.set(starts, 1);
  words.set(ends, 1 + count * wordsPerAddress);
  words.set(values, 1 + 2 * count * wordsPerAddress);
  return toLittleEndian(words);
}

const hostIsLittleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The tables are little-endian on disk (x86-64 and arm64 are too); a big-endian host swaps. */
export function toLittleEndian(words: Uint32Array): Buffer {
  const buf = Buffer.from(words.buffer, words.byteOffset, words.byteLength);
  return hostIsLittleEndian ? buf : Buffer.from(buf).swap32();
}
