import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { zlibCodec } from '../../../../appliance/src/detect/decode/zlib.js';
import { URL, context, leaves } from './helpers.js';

describe('zlib codec', () => {
  it('reads a zlib body', () => {
    expect(leaves({ data: deflateSync(JSON.stringify({ u: URL })) })).toEqual([['zlib → json:$.u', URL]]);
  });

  it.each([
    ['a default zlib header', Buffer.from([0x78, 0x9c, 0, 0, 0, 0]), 90],
    ['a header with a bad checksum', Buffer.from([0x78, 0x9d, 0, 0, 0, 0]), -1],
    ['a header asking for a preset dictionary', Buffer.from([0x78, 0xbb, 0, 0, 0, 0]), -1],
  ])('sniffs %s', (_name, data, priority) => {
    expect(zlibCodec.sniff(data, context())).toBe(priority);
  });
});
