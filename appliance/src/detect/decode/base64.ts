import { asText, hasCompressionMagic } from './bytes.js';
import { looksLikeProtobuf } from './protobuf.js';

const BASE64 = /^[A-Za-z0-9+/_\- ]+={0,2}$/;

/**
 * Candidate base64: standard or URL-safe, padded or not, MIME line breaks allowed; a space stands
 * for a `+` that a client sent raw in a form (form decoding turned it into a space).
 */
export function looksLikeBase64(text: string): boolean {
  if (text.length < 12) return false;
  const compact = text.includes('\n') ? text.replace(/\r?\n/g, '') : text;
  if (!BASE64.test(compact)) return false;
  if (compact.includes(' ') && (compact.length < 16 || / {2}/.test(compact))) return false;
  // Words, identifiers (`page_load_event_finish`) and numbers pass the charset test too; base64 of
  // anything mixes upper case, lower case and (in all but the longest runs of text) digits.
  if (!/[A-Z]/.test(compact) || !/[a-z]/.test(compact)) return false;
  return compact.length >= 24 || /[0-9+/]/.test(compact);
}

export function base64Bytes(text: string): Uint8Array | undefined {
  const compact = text.replace(/\r?\n/g, '').replace(/ /g, '+').replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Buffer.from(compact, 'base64');
  return bytes.length >= 6 ? bytes : undefined;
}

/** Decoded bytes worth walking: readable text, a compression magic, or a protobuf message. */
export function meaningful(bytes: Uint8Array): 'text' | 'binary' | undefined {
  if (hasCompressionMagic(bytes)) return 'binary';
  const text = asText(bytes);
  if (text !== undefined && text.length > 0) return 'text';
  if (looksLikeProtobuf(bytes)) return 'binary';
  return undefined;
}
