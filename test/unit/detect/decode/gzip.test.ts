import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { framedGzip, gzip } from '../../../../appliance/src/detect/decode/gzip.js';
import { URL, b64, context, leaves } from './helpers.js';

describe('gzip codec', () => {
  it('reads a gzip body', () => {
    expect(leaves({ data: gzipSync(JSON.stringify({ u: URL })) })).toEqual([['gzip → json:$.u', URL]]);
  });

  it('reads gzip inside base64 inside JSON inside gzip', () => {
    const data = gzipSync(JSON.stringify({ inner: b64(gzipSync(JSON.stringify({ u: URL }))) }));
    expect(leaves({ data })).toEqual([['gzip → json:$.inner → base64 → gzip → json:$.u', URL]]);
  });

  it.each([
    ['gzip magic', gzipSync('x'), 100, -1],
    ['gzip after a 5-byte frame', Buffer.concat([Buffer.alloc(5, 7), gzipSync('x')]), -1, 45],
    ['text', Buffer.from('hello world, no gzip here'), -1, -1],
  ])('sniffs %s', (_name, data, plain, framed) => {
    expect([gzip.sniff(data, context()), framedGzip.sniff(data, context())]).toEqual([plain, framed]);
  });
});
