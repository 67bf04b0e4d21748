import { describe, expect, it } from 'vitest';
import { deserialiseTable, RangeTable, serialiseTable } from '../../../appliance/src/intel/ip-table.js';

// Ranges chosen to straddle the 16-bit index buckets: one spans 1.0.0.0–1.2.255.255, so an
// address in bucket 1.2 must find a range that starts in bucket 1.0.
const v4 = new RangeTable(
  1,
  new Uint32Array([0x01000000, 0x01030010, 0x01030020, 0xfffffff0]),
  new Uint32Array([0x0102ffff, 0x0103001f, 0x01030020, 0xffffffff]),
  new Uint32Array([7, 8, 9, 10]),
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
    expect(new RangeTable(1, new Uint32Array(0), new Uint32Array(0), new Uint32Array(0)).find([0x01020304])).toBe(-1);
  });
});

describe('RangeTable (IPv6)', () => {
  const v6 = new RangeTable(
    4,
    new Uint32Array([0x20010db8, 0, 0, 0, 0x2a001450, 0, 0, 0x100]),
    new Uint32Array([0x20010db8, 0xffffffff, 0xffffffff, 0xffffffff, 0x2a001450, 0, 0, 0x1ff]),
    new Uint32Array([1, 2]),
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
    const table = deserialiseTable(1, bytes);
    expect([table.find([0x01000001]), table.find([0x02ffffff]), table.find([0x03000000])]).toEqual([3, 4, -1]);
  });

  it('rejects a truncated file instead of answering from garbage', () => {
    const bytes = serialiseTable(4, [1, 0, 0, 0], [1, 0, 0, 9], [5]);
    expect(() => deserialiseTable(4, bytes.subarray(0, bytes.length - 4))).toThrow('IP range table is 36 bytes, not the 40 its header promises');
  });
});
