import type { BytesCodec, Child, Outcome } from './codec.js';
import { NOT_MINE, fail } from './codec.js';
import { looksRandom } from './bytes.js';

/** Control characters and the replacement character (invalid UTF-8) end a run. */
const SEPARATOR = /[\p{Cc}\ufffd]+/u;

/**
 * Last resort for a binary frame that is no known format but not random either (custom record
 * formats with text fields): its printable UTF-8 runs of six or more characters.
 */
export function decodeStrings(bytes: Uint8Array): Outcome {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const children: Child[] = [];
  let total = 0;
  for (const part of text.split(SEPARATOR)) {
    const run = part.trim();
    if (run.length < 6) continue;
    children.push({ kind: 'leaf', text: run, step: { codec: 'strings' } });
    total += run.length;
  }
  return children.length > 0 ? { ok: true, children, bytes: total } : fail('invalid', 'no printable strings');
}

/**
 * Last of all, and never on random-looking bytes, whose "runs" would be noise. The randomness test
 * is part of decoding, not of the sniff: it then runs only on the few values no other codec took,
 * instead of on every binary value the walk meets.
 */
export const strings: BytesCodec = {
  name: 'strings',
  sniff: (b) => (b.length > 0 ? 0 : NOT_MINE),
  decode: (b) => (looksRandom(b) ? fail('invalid', 'random-looking bytes') : decodeStrings(b)),
};
