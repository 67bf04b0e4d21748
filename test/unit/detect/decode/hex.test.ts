import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hex, looksLikeHex } from '../../../../appliance/src/detect/decode/hex.js';
import { URL, children, context, leaves } from './helpers.js';

describe('hex codec', () => {
  it.each([
    ['lower case', Buffer.from(URL).toString('hex')],
    ['upper case', Buffer.from(URL).toString('hex').toUpperCase()],
  ])('decodes %s hex of UTF-8 text', (_name, encoded) => {
    expect(children(hex.decode(encoded, context()))).toEqual([['hex', URL]]);
  });

  it.each([
    ['MD5', createHash('md5').update(URL).digest('hex')],
    ['SHA-1', createHash('sha1').update(URL).digest('hex')],
    ['SHA-256', createHash('sha256').update(URL).digest('hex')],
    ['SHA-256 in upper case', createHash('sha256').update(URL).digest('hex').toUpperCase()],
  ])('keeps a %s hex digest as a leaf, unchanged, and not as opaque', (_name, digest) => {
    const r = leaves({ data: JSON.stringify({ h: digest }) });
    expect(r).toEqual([['json:$.h', digest]]);
    expect(hex.decode(digest, context())).toEqual({ ok: false, reason: 'invalid', detail: 'decodes to unreadable bytes' });
  });

  it.each([
    ['odd length', 'abcdef0123456789a'],
    ['shorter than 16', 'abcdef01'],
    ['a non-hex letter', 'abcdef0123456789xx'],
  ])('does not claim %s', (_name, text) => {
    expect(looksLikeHex(text)).toBe(false);
  });
});
