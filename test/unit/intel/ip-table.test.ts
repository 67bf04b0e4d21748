import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bufferSource, fileSource } from '../../../appliance/src/intel/byte-source.js';
import { RangeTable, serialiseTable } from '../../../appliance/src/intel/ip-table.js';

const table = (w: 1 | 4, starts: number[], ends: number[], values: number[]) => RangeTable.open(w, bufferSource(serialiseTable(w, starts, ends, values)));

// Ranges chosen to straddle the 16-bit index buckets: one spans 1.0.0.0–1.2.255.255, so an
// address in bucket 1.2 must find a range that starts in bucket 1.0.
const v4 = table(
  1,
  [0x01000000, 0x01030010, 0x01030020, 0xfffffff0],
  [0x0102ffff, 0x0103001f, 0x01030020, 0xffffffff],
  [7, 8, 9, 10],
);

describe('RangeTable (IPv4)', () => {
  it.each([
    ['before the first range', 0x00ffffff, -1],
    ['the first address of a range', 0x01000000, 7],
    ['an address two buckets after its range started', 0x0102abcd, 7],
    ['the last address of a range', 0x0102ffff, 7],
    ['a gap between ranges', 0x01030000, -1],
    ['the start of a range in the same bucket', 0x01030010, 8],
    ['a one-address range', 0x01030020, 9],
    ['just after it', 0x01030021, -1],
    ['the very last address', 0xffffffff, 10],
  ])('answers %s', (_name, address, value) => {
    expect(v4.find([address])).toBe(value);
  });

  it('finds nothing in an empty table', () => {
    expect(table(1, [], [], []).find([0x01020304])).toBe(-1);
  });
});

describe('RangeTable (IPv6)', () => {
  const v6 = table(
    4,
    [0x20010db8, 0, 0, 0, 0x2a001450, 0, 0, 0x100],
    [0x20010db8, 0xffffffff, 0xffffffff, 0xffffffff, 0x2a001450, 0, 0, 0x1ff],
    [1, 2],
  );

  it.each([
    ['inside a /32', [0x20010db8, 5, 6, 7], 1],
    ['just past the /32', [0x20010db9, 0, 0, 0], -1],
    ['the low word at the start of a small range', [0x2a001450, 0, 0, 0x100], 2],
    ['the low word below it', [0x2a001450, 0, 0, 0xff], -1],
    ['the low word at its end', [0x2a001450, 0, 0, 0x1ff], 2],
  ])('answers %s', (_name, address, value) => {
    expect(v6.find(address)).toBe(value);
  });
});

describe('table files', () => {
  it('round-trip through the little-endian file format', () => {
    const bytes = serialiseTable(1, [0x01000000, 0x02000000], [0x01ffffff, 0x02ffffff], [3, 4]);
    expect([...bytes.subarray(0, 8)]).toEqual([2, 0, 0, 0, 0, 0, 0, 1]);
    const opened = RangeTable.open(1, bufferSource(bytes));
    expect([opened.find([0x01000001]), opened.find([0x02ffffff]), opened.find([0x03000000])]).toEqual([3, 4, -1]);
  });

  it('rejects a truncated file instead of answering from garbage', () => {
    const bytes = serialiseTable(4, [1, 0, 0, 0], [1, 0, 0, 9], [5]);
    expect(() => RangeTable.open(4, bufferSource(bytes.subarray(0, bytes.length - 4)))).toThrow('IP range table is 36 bytes, not the 40 its header promises');
    expect(() => RangeTable.open(1, bufferSource(Buffer.alloc(0)))).toThrow('IP range table is 0 bytes, not the 4 its header promises');
  });
});

describe('a crowded table read from its file', () => {
  // 6,000 ranges of random sizes with random gaps, many in few buckets (every start below
  // 0x00400000 for IPv4, one /16 for IPv6), so lookups take the one-read-at-a-time narrowing
  // before the final chunk read. Every answer is checked against a linear scan.
  function random(seed: number): () => number {
    let x = seed;
    return () => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x;
    };
  }

  function build(w: 1 | 4, next: () => number): { starts: number[][]; ends: number[][]; values: number[] } {
    const starts: number[][] = [];
    const ends: number[][] = [];
    const values: number[] = [];
    let low = 0;
    for (let i = 0; i < 6000; i++) {
      const start = low + (next() % 300);
      const end = start + (next() % 400);
      low = end + 1;
      const spread = (n: number) => (w === 1 ? [n] : [0x2a001450, 0, 0, n]);
      starts.push(spread(start));
      ends.push(spread(end));
      values.push(i);
    }
    return { starts, ends, values };
  }

  it.each([[1], [4]] as const)('answers like a linear scan (%i words per address)', (w) => {
    const next = random(w * 7919);
    const { starts, ends, values } = build(w, next);
    const dir = mkdtempSync(join(tmpdir(), 'lw-iptable-'));
    writeFileSync(join(dir, 't.bin'), serialiseTable(w, starts.flat(), ends.flat(), values));
    const onDisk = RangeTable.open(w, fileSource(join(dir, 't.bin')));
    const compare = (a: number[], b: number[]) => {
      const i = a.findIndex((x, k) => x !== b[k]);
      return i < 0 ? 0 : a[i]! < b[i]! ? -1 : 1;
    };
    const last = ends.at(-1)!.at(-1)!;
    for (let probe = 0; probe < 3000; probe++) {
      const n = next() % (last + 50);
      const address = w === 1 ? [n] : [0x2a001450, 0, 0, n];
      const i = starts.findLastIndex((s) => compare(s, address) <= 0);
      const expected = i >= 0 && compare(ends[i]!, address) >= 0 ? values[i]! : -1;
      expect(onDisk.find(address), `address ${address.join(':')}`).toBe(expected);
    }
    expect(onDisk.find(w === 1 ? [0x00ffffff] : [0x2a001450, 1, 0, 0])).toBe(-1);
  });
});
