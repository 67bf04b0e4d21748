import { gzipSync } from 'node:zlib';
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base64, looksLikeBase64 } from '../../../../appliance/src/detect/decode/base64.js';
import { URL, b64, children, context, leaves } from './helpers.js';

describe('base64 codec', () => {
  it.each([
    ['standard', b64(URL), URL],
    ['URL-safe, unpadded', Buffer.from(`${URL}??>>`).toString('base64url'), `${URL}??>>`],
    ['MIME line-wrapped', b64(URL.repeat(3)).replace(/(.{20})/g, '$1\r\n'), URL.repeat(3)],
  ])('decodes %s base64 to its text', (_name, encoded, text) => {
    expect(base64.sniff(encoded, context())).toBeGreaterThanOrEqual(0);
    expect(children(base64.decode(encoded, context()))).toEqual([['base64', text]]);
  });

  it('takes spaces for a raw + only in a value a form decoder produced', () => {
    const encoded = b64('{"u":"https://a.example/x>>>"}').replace(/\+/g, ' ');
    expect(base64.sniff(encoded, context({ lastStep: { codec: 'form', at: 'd' } }))).toBeGreaterThanOrEqual(0);
    expect(children(base64.decode(encoded, context()))).toEqual([['base64', '{"u":"https://a.example/x>>>"}']]);
    expect(base64.sniff(encoded, context({ lastStep: { codec: 'json', at: '$.d' } }))).toBeLessThan(0);
    expect(base64.sniff(encoded, context())).toBeLessThan(0);
  });

  it('does not try a sentence as base64, not even one from a form', () => {
    const sentence = 'The Quick Brown Fox Jumps Over The Lazy Dog Again And Again Today 12';
    expect(looksLikeBase64(sentence)).toBe(false);
    expect(looksLikeBase64(sentence, true)).toBe(false);
    expect(base64.sniff(sentence, context({ lastStep: { codec: 'form', at: 'title' } }))).toBeLessThan(0);
  });

  it('hands gzip bytes on as bytes', () => {
    const gz = gzipSync('{"u":1}');
    expect(children(base64.decode(b64(gz), context()))).toEqual([['base64', `<${gz.length} bytes>`]]);
  });

  it.each([
    ['a short word', 'Hello'],
    ['an identifier', 'page_load_event_finish'],
    ['a lower-case word', 'internationalization'],
    ['a sentence', 'privacy test query'],
    ['a UUID', '0f8e3c2a-5b7d-4e1f-9a6c-123456789abc'],
    ['a number', '158850000000012'],
  ])('does not claim %s', (_name, text) => {
    expect(looksLikeBase64(text)).toBe(false);
  });

  it('refuses random bytes and hands them back as opaque', () => {
    const noise = randomBytes(600);
    const outcome = base64.decode(noise.toString('base64'), context());
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.opaque?.length).toBe(600);
  });

  it('keeps a base64 SHA-256 digest (too short to call random) as a leaf', () => {
    const digest = createHash('sha256').update(URL).digest('base64');
    expect(leaves({ data: JSON.stringify({ h: digest }) })).toEqual([['json:$.h', digest]]);
  });

  it('refuses a string whose bytes would pass the step cap', () => {
    expect(base64.decode(b64(URL), context({ maxOutput: 10 }))).toEqual({ ok: false, reason: 'budget', detail: 'a 56-character base64 string is over the 10-byte step budget' });
  });
});
