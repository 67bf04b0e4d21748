import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeStrings, strings } from '../../../../appliance/src/detect/decode/strings.js';
import { URL, children, context, leaves } from './helpers.js';

describe('strings codec', () => {
  it('extracts printable runs of six or more characters from a custom binary frame', () => {
    const frame = Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from('page_view'), Buffer.from([1]), Buffer.from(URL), Buffer.from([1]), Buffer.from('abc'), Buffer.from([1, 0xff])]);
    expect(children(decodeStrings(frame))).toEqual([['strings', 'page_view'], ['strings', URL]]);
  });

  it('reads Alibaba UT records behind an 8-byte frame header before the gzip', () => {
    const data = Buffer.concat([Buffer.from([1, 0, 0, 40, 1, 0x29, 0, 0]), gzipSync(`\u0000\u0001page_view\u0001${URL}\u0001`)]);
    expect(leaves({ data })).toEqual([['gzip:offset 8 → strings', 'page_view'], ['gzip:offset 8 → strings', URL]]);
  });

  it('refuses a frame with no run long enough', () => {
    expect(decodeStrings(Buffer.from([0, 0x61, 0x62, 0, 0x63]))).toEqual({ ok: false, reason: 'invalid', detail: 'no printable strings' });
  });

  it('does not apply to random-looking bytes', () => {
    const random = Buffer.from(Array.from({ length: 256 }, (_, i) => (i * 167 + 13) & 0xff));
    expect(strings.decode(random, context())).toEqual({ ok: false, reason: 'invalid', detail: 'random-looking bytes' });
    expect(leaves({ data: random })).toEqual([]);
  });
});
