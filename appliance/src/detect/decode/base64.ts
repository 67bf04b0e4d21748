import type { TextCodec } from './codec.js';
import { NOT_MINE, fail } from './codec.js';
import { bytesFromText } from './binary-text.js';

const BASE64 = /^[A-Za-z0-9+/_\- ]+={0,2}$/;

/** Words: a capital at most at the start, then small letters; or a number. A sentence is made of them, base64 is not. */
const WORD = /^(?:[A-Z]?[a-z]+|\d+)$/;

/**
 * Candidate base64: standard or URL-safe, padded or not, MIME line breaks allowed. A space stands
 * for a `+` that a client sent raw in a form, so spaces are allowed only in a value a form decoder
 * produced (`fromForm`), and never when every space-separated piece is a word: that is a sentence,
 * and trying sentences as base64 costs far more than reading them.
 */
export function looksLikeBase64(text: string, fromForm = false): boolean {
  if (text.length < 12) return false;
  const compact = text.includes('\n') ? text.replace(/\r?\n/g, '') : text;
  if (!BASE64.test(compact)) return false;
  if (compact.includes(' ')) {
    if (!fromForm || compact.length < 16 || / {2}/.test(compact)) return false;
    if (compact.trim().split(' ').every((piece) => WORD.test(piece))) return false;
  }
  // Words, identifiers (`page_load_event_finish`) and numbers pass the charset test too; base64 of
  // anything mixes upper case, lower case and (in all but the longest runs of text) digits.
  if (!/[A-Z]/.test(compact) || !/[a-z]/.test(compact)) return false;
  return compact.length >= 24 || /[0-9+/]/.test(compact);
}

function base64Bytes(text: string): Uint8Array | undefined {
  const compact = text.replace(/\r?\n/g, '').replace(/ /g, '+').replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Buffer.from(compact, 'base64');
  return bytes.length >= 6 ? bytes : undefined;
}

/** Standard, URL-safe, unpadded or MIME-wrapped base64 whose bytes mean something. */
export const base64: TextCodec = {
  name: 'base64',
  sniff: (text, context) => (looksLikeBase64(text, context.lastStep?.codec === 'form') ? 30 : NOT_MINE),
  decode: (text, { maxOutput }) => {
    if (Math.floor((text.length * 3) / 4) > maxOutput) return fail('budget', `a ${text.length}-character base64 string is over the ${maxOutput}-byte step budget`);
    const bytes = base64Bytes(text);
    if (!bytes) return fail('invalid', 'too short');
    return bytesFromText(bytes, { codec: 'base64' }, { headless: true, reportOpaque: true, maxOutput });
  },
};
