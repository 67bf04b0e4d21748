import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { contentCodings, decompress, plausibleDeflate } from '../../../../appliance/src/detect/decode/compression.js';
import { children } from './helpers.js';

const TEXT = '{"u":"https://news.example.org/a"}';

describe('capped decompression', () => {
  it.each([
    ['gzip', gzipSync(TEXT)],
    ['zlib', deflateSync(TEXT)],
    ['deflate', deflateRawSync(TEXT)],
    ['brotli', brotliCompressSync(TEXT)],
  ] as const)('inflates %s', (kind, data) => {
    expect(children(decompress(kind, data, 1000))).toEqual([[kind, `<${TEXT.length} bytes>`]]);
  });

  it('refuses output over the cap with a budget failure', () => {
    expect(decompress('gzip', gzipSync(Buffer.alloc(10_000)), 1000)).toEqual({ ok: false, reason: 'budget', detail: 'gzip output over 1000 bytes' });
  });

  it('returns what a truncated stream held, with a truncated problem', () => {
    const gz = gzipSync(TEXT.repeat(20));
    const outcome = decompress('gzip', gz.subarray(0, gz.length - 12), 10_000);
    expect(outcome.ok && outcome.problem?.reason).toBe('truncated');
    expect(outcome.ok && outcome.children[0]!.kind === 'bytes' && Buffer.from(outcome.children[0]!.bytes).toString().startsWith(TEXT)).toBe(true);
  });

  it.each([
    ['a stored block with a matching length complement', Buffer.from([0x01, 0x03, 0x00, 0xfc, 0xff, 0x61, 0x62, 0x63]), true],
    ['a stored block with a broken complement', Buffer.from([0x01, 0x03, 0x00, 0x00, 0x00]), false],
    ['block type 3', Buffer.from([0x06, 0x00]), false],
  ])('judges raw deflate headers: %s', (_name, data, expected) => {
    expect(plausibleDeflate(data)).toBe(expected);
  });

  it.each([
    ['gzip', ['gzip']],
    ['x-gzip', ['gzip']],
    ['deflate', ['zlib']],
    ['br', ['brotli']],
    ['zstd', ['zstd']],
    ['gzip, br', ['brotli', 'gzip']],
    ['identity', []],
    ['compress', undefined],
  ])('reads Content-Encoding %s', (header, expected) => {
    expect(contentCodings(header)).toEqual(expected);
  });
});
