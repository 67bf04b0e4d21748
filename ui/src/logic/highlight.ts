/**
 * The decoded excerpt split around the match the detector found, for a <mark>: offsets are
 * clamped so a bad pair from an old alert still shows the text rather than nothing.
 */
export function splitHighlight(excerpt: string, [start, end]: readonly [number, number]): [string, string, string] {
  const from = Math.max(0, Math.min(start, excerpt.length));
  const to = Math.max(from, Math.min(end, excerpt.length));
  return [excerpt.slice(0, from), excerpt.slice(from, to), excerpt.slice(to)];
}
