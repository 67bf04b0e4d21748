import { describe, expect, it } from 'vitest';
import { RangeFlattener } from '../../../appliance/src/intel/flatten-ranges.js';

type Row = [number, number, number];

function flatten(rows: Row[]): Row[] {
  const f = new RangeFlattener();
  for (const [start, end, value] of rows) f.add(BigInt(start), BigInt(end), value);
  return f.finish().map((s) => [Number(s.start), Number(s.end), s.value]);
}

describe('RangeFlattener', () => {
  it.each<[string, Row[], Row[]]>([
    ['keeps disjoint ranges', [[0, 9, 1], [20, 29, 2]], [[0, 9, 1], [20, 29, 2]]],
    ['merges touching ranges with the same value', [[0, 9, 1], [10, 19, 1], [20, 29, 2]], [[0, 19, 1], [20, 29, 2]]],
    ['lets a nested range win and the outer one cover both sides', [[0, 99, 1], [10, 19, 2]], [[0, 9, 1], [10, 19, 2], [20, 99, 1]]],
    // The old table kept the outer row only up to the nested one: 20–99 was lost.
    ['covers the outer tail when nothing follows the nested range', [[0, 99, 1], [10, 19, 2], [200, 209, 3]], [[0, 9, 1], [10, 19, 2], [20, 99, 1], [200, 209, 3]]],
    ['handles two levels of nesting', [[0, 99, 1], [10, 49, 2], [20, 29, 3]], [[0, 9, 1], [10, 19, 2], [20, 29, 3], [30, 49, 2], [50, 99, 1]]],
    ['lets a later partial overlap win over its span', [[0, 99, 1], [50, 149, 2]], [[0, 49, 1], [50, 149, 2]]],
    ['lets a nested range at the same start win', [[0, 99, 1], [0, 9, 2]], [[0, 9, 2], [10, 99, 1]]],
    ['merges a nested range with the same value away', [[0, 99, 1], [10, 19, 1]], [[0, 99, 1]]],
  ])('%s', (_name, rows, expected) => {
    expect(flatten(rows)).toEqual(expected);
  });

  it('rejects rows out of order, which would break the binary search', () => {
    expect(() => flatten([[10, 19, 1], [0, 5, 2]])).toThrow('range 0–5 is out of order or empty (ranges must be sorted by start)');
  });
});
