import { describe, expect, it } from 'vitest';
import { StringEndFinder } from '../../../../appliance/src/sources/import/json-string-end.js';

/**
 * Feeds the inside of a string (after its opening quote) split at `cut`, and returns the offset of
 * the closing quote counted from the start of the whole text, or -1.
 */
function closingQuote(text: string, cut: number): number {
  const bytes = Buffer.from(text, 'latin1');
  const finder = new StringEndFinder();
  finder.begin();
  const first = finder.find(bytes.subarray(0, cut), 0);
  if (first >= 0) return first;
  const second = finder.find(bytes.subarray(cut), 0);
  return second < 0 ? -1 : cut + second;
}

describe('StringEndFinder', () => {
  it.each([
    // text after the opening quote, offset of the closing quote
    ['abc"', 3],
    ['a\\"b"', 4],
    ['a\\\\"b"', 3],
    ['a\\\\\\"b"', 6],
    ['\\\\\\\\"', 4],
    ['\\""', 2],
    ['no end here', -1],
    ['ends in a backslash\\', -1],
  ])('finds the closing quote of %j at %i wherever the chunk is cut', (text, expected) => {
    for (let cut = 0; cut <= text.length; cut++) expect([cut, closingQuote(text, cut)]).toEqual([cut, expected]);
  });

  it('counts a backslash run that spans three chunks', () => {
    const finder = new StringEndFinder();
    finder.begin();
    expect([finder.find(Buffer.from('x\\'), 0), finder.find(Buffer.from('\\\\'), 0), finder.find(Buffer.from('"y"'), 0)]).toEqual([-1, -1, 2]);
  });

  it('forgets the backslashes of the previous string at begin()', () => {
    const finder = new StringEndFinder();
    finder.begin();
    expect(finder.find(Buffer.from('x\\'), 0)).toBe(-1);
    finder.begin();
    expect(finder.find(Buffer.from('"'), 0)).toBe(0);
  });
});
