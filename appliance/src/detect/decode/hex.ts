import type { TextCodec } from './codec.js';
import { NOT_MINE, fail } from './codec.js';
import { bytesFromText } from './binary-text.js';

const HEX = /^(?:[0-9a-fA-F]{2})+$/;

/**
 * Candidate hex. Note a hash (MD5, SHA-1, SHA-256 …) decodes to random bytes, which are refused:
 * it stays a leaf, where the matcher compares it with hashed browsing values.
 */
export function looksLikeHex(text: string): boolean {
  return text.length >= 16 && HEX.test(text);
}

/** Hex of readable bytes. Hashes and ids travel as hex, so unreadable bytes are not reported as opaque. */
export const hex: TextCodec = {
  name: 'hex',
  sniff: (text) => (looksLikeHex(text) ? 40 : NOT_MINE),
  decode: (text, { maxOutput }) => {
    if (text.length / 2 > maxOutput) return fail('budget', `a ${text.length}-character hex string is over the ${maxOutput}-byte step budget`);
    return bytesFromText(Buffer.from(text, 'hex'), { codec: 'hex' }, { headless: false, reportOpaque: false, maxOutput });
  },
};
