/**
 * The rolling hash of fixed-width text windows that the pattern index (match.ts) and the look-back
 * filter (window-filter.ts) share: a window's hash is the same number in both, so a pattern keyed
 * in one can be looked up in the other.
 */
export const HASH_BASE = 0x01000193;

/** BASE^(width-1), what the first character of a window weighs; rolling it out subtracts this. */
export function windowPower(width: number): number {
  let p = 1;
  for (let i = 1; i < width; i++) p = Math.imul(p, HASH_BASE);
  return p;
}

/** The hash of text[from, from + width). */
export function windowHash(text: string, from: number, width: number): number {
  let h = 0;
  for (let i = from; i < from + width; i++) h = (Math.imul(h, HASH_BASE) + text.charCodeAt(i)) | 0;
  return h;
}

/** The hash of the window one character on: `out` leaves it, `in` joins it. */
export function rollHash(h: number, out: number, into: number, power: number): number {
  return (Math.imul(h - Math.imul(out, power), HASH_BASE) + into) | 0;
}
