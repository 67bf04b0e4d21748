import { describe, expect, it } from 'vitest';
import { JoinedLines } from '../../../appliance/src/analyze/joined-lines.js';

/** What the text report was before it was streamed: every line joined, trailing newlines made one. */
const joinedAtOnce = (groups: string[][]) => groups.flat().join('\n').replace(/\n+$/, '\n');

function streamed(groups: string[][]): string[] {
  const text = new JoinedLines();
  return [...groups.flatMap((g) => [...text.add(g)]), ...text.end()];
}

describe('JoinedLines (the text report, written as it is made)', () => {
  it('gives what joining all the lines at once gave, for any grouping and any blank lines', () => {
    const words = ['', '', 'a', 'line two', 'x\ny', '\n'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 2000; round++) {
      const groups = Array.from({ length: Math.floor(next() * 6) }, () => Array.from({ length: Math.floor(next() * 4) }, () => words[Math.floor(next() * words.length)]!));
      expect(streamed(groups).join(''), JSON.stringify(groups)).toBe(joinedAtOnce(groups));
    }
  });

  it('holds blank lines back until text follows them, so the report ends in one newline', () => {
    expect(streamed([['headline', ''], ['block', ''], ['', '']])).toEqual(['headline', '\n\nblock', '\n']);
    expect(streamed([])).toEqual([]);
  });
});
