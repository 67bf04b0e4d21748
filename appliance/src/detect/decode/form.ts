import type { Child, Outcome, TextCodec } from './codec.js';
import { NOT_MINE, fail } from './codec.js';
import { looksLikeBase64 } from './base64.js';
import { percentDecode } from './percent.js';

const KEY = /^[A-Za-z_$][\w$.[\]\-:]{0,63}$/;

/**
 * `k=v&k2=v2` — by content type, or when every pair has a key that reads like a field name. A lone
 * `k=` (an empty value) is not enough: base64 ends in `=` too.
 */
export function looksLikeForm(text: string): boolean {
  if (!text.includes('=') || text.length < 3) return false;
  const pairs = text.split('&');
  let withValue = 0;
  for (const pair of pairs) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    if (!KEY.test(percentDecode(key, true))) return false;
    if (eq >= 0 && eq < pair.length - 1) withValue++;
  }
  return withValue > 0;
}

/** application/x-www-form-urlencoded → one text child per field, `form:<key>`. Repeated keys kept. */
export function decodeForm(text: string, codec = 'form'): Outcome {
  const children: Child[] = [];
  let bytes = 0;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = percentDecode(eq < 0 ? pair : pair.slice(0, eq), true);
    const value = eq < 0 ? '' : percentDecode(pair.slice(eq + 1), true);
    bytes += value.length;
    children.push({ kind: 'text', text: value, step: { codec, at: key } });
  }
  return children.length > 0 ? { ok: true, children, bytes } : fail('invalid', 'no form fields');
}

const FORM_TYPE = /application\/x-www-form-urlencoded/i;

/**
 * `form:<key>`: a body declared as a form, or a value inside the request shaped like one (not at
 * the root, where a sniffed `k=v` would claim query strings and plain text alike).
 */
export const form: TextCodec = {
  name: 'form',
  sniff: (text, { contentType, depth }) => {
    // Declared a form, unless it plainly is not one: JSON, or no field at all (clients that post
    // with curl's or a library's default content type send JSON labelled as a form).
    if (contentType !== undefined && FORM_TYPE.test(contentType)) return /^\s*[{[]/.test(text) || !text.includes('=') ? NOT_MINE : 100;
    return depth > 0 && text.includes('=') && looksLikeForm(text) && !looksLikeBase64(text) ? 60 : NOT_MINE;
  },
  decode: (text) => decodeForm(text),
};
