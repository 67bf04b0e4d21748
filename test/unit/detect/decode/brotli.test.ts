import { brotliCompressSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { brotli } from '../../../../appliance/src/detect/decode/brotli.js';
import { URL, b64, context, leaves } from './helpers.js';

describe('brotli codec', () => {
  it('reads brotli inside base64 (no magic)', () => {
    expect(leaves({ data: JSON.stringify({ z: b64(brotliCompressSync(JSON.stringify({ u: URL }))) }) })).toEqual([['json:$.z → base64 → brotli → json:$.u', URL]]);
  });

  it('reads a declared br Content-Encoding', () => {
    expect(leaves({ data: brotliCompressSync(JSON.stringify({ u: URL })), contentEncoding: 'br' })).toEqual([['content-encoding:br → json:$.u', URL]]);
  });

  it('discards output that is not readable', () => {
    expect(brotli.decode(brotliCompressSync(randomBytes(100)), context())).toEqual({ ok: false, reason: 'invalid', detail: 'not brotli data' });
  });

  it('does not try bytes too short to be a stream', () => {
    expect(brotli.sniff(Buffer.from([1, 2, 3]), context())).toBeLessThan(0);
  });
});
