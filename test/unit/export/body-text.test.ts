import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bodyForHar, bodyForJson } from '../../../appliance/src/export/body-text.js';

const utf8 = (s: string) => Buffer.from(s, 'utf8');

describe('request bodies as text', () => {
  it.each([
    // text
    ['JSON', utf8('{"url":"https://例え.jp/"}'), false, { encoding: 'utf8', text: '{"url":"https://例え.jp/"}' }],
    ['tabs and newlines', utf8('a=1\r\n\tb=2'), false, { encoding: 'utf8', text: 'a=1\r\n\tb=2' }],
    // a multi-byte character cut by the 64 KiB excerpt is dropped, the rest stays text
    ['cut inside a character', utf8('ab例').subarray(0, 4), true, { encoding: 'utf8', text: 'ab' }],
    // binary
    ['the same bytes when not cut', utf8('ab例').subarray(0, 4), false, { encoding: 'base64', text: utf8('ab例').subarray(0, 4).toString('base64') }],
    ['gzip', gzipSync('hello'), false, { encoding: 'base64', text: gzipSync('hello').toString('base64') }],
    ['protobuf-like (valid UTF-8, control bytes)', Buffer.from([0x0a, 0x03, 0x61, 0x62, 0x63]), false, { encoding: 'base64', text: 'CgNhYmM=' }],
  ])('%s', (_name, bytes, cut, expected) => {
    expect(bodyForJson(bytes, cut)).toEqual(expected);
  });

  it('gives HAR a binary body one character per byte, so Buffer.from(text, "latin1") is the body again', () => {
    const bytes = Buffer.from([0x1f, 0x8b, 0x00, 0xff, 0x80, 0x41]);
    const { text, binary } = bodyForHar(bytes, false);
    expect(binary).toBe(true);
    expect(Buffer.from(text, 'latin1')).toEqual(bytes);
    expect(bodyForHar(utf8('{"q":"搜索"}'), false)).toEqual({ text: '{"q":"搜索"}', binary: false });
  });
});
